package dev.faultline.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.launcher.ConfigLoader.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where traces go: off by default; Faultline's own setting first, then OpenTelemetry's standard variables. */
class TelemetryConfigTest {

  @TempDir
  Path dist;

  @Test
  void tracesAreOffByDefault() {
    FaultlineConfig.Telemetry telemetry = load(Map.of()).telemetry();
    assertFalse(telemetry.enabled());
    assertEquals("faultline", telemetry.serviceName());
  }

  @Test
  void theFileTheVariableAndTheStandardVariableInThatOrder() throws IOException {
    Path file = Files.writeString(dist.resolve("user.yaml"), """
        telemetry:
          otlp_endpoint: http://collector.internal:4318
          service_name: llm-gateway
        """);
    assertEquals(new FaultlineConfig.Telemetry("http://collector.internal:4318", "llm-gateway"),
        load(Map.of("FAULTLINE_CONFIG", file.toString(), "OTEL_EXPORTER_OTLP_ENDPOINT", "http://other:4318",
            "OTEL_SERVICE_NAME", "other")).telemetry());
    assertEquals("http://env:4318", load(Map.of("FAULTLINE_CONFIG", file.toString(),
        "FAULTLINE_OTLP_ENDPOINT", "http://env:4318")).telemetry().otlpEndpoint());
    assertEquals(new FaultlineConfig.Telemetry("http://standard:4318", "from-otel"),
        load(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://standard:4318", "OTEL_SERVICE_NAME", "from-otel")).telemetry());
  }

  @Test
  void anEndpointThatIsNoHttpUrlIsRefusedByName() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> load(Map.of("FAULTLINE_OTLP_ENDPOINT", "collector:4317")));
    assertTrue(e.getMessage().contains("telemetry.otlp_endpoint (FAULTLINE_OTLP_ENDPOINT)"), e.getMessage());
    assertTrue(e.getMessage().contains("http://"), e.getMessage());
  }

  private FaultlineConfig load(Map<String, String> env) {
    return new ConfigLoader(new HashMap<>(env), dist).load();
  }
}
