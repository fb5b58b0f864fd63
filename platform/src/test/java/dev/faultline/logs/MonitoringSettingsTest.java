package dev.faultline.logs;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.ConfigLoader;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The monitoring settings of faultline.yaml and the per-proxy logging block, and their refusals. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MonitoringSettingsTest {

  @TempDir
  Path dist;

  @Test
  void theShippedDefaultsAndTheirVariables() {
    FaultlineConfig.Monitoring defaults = load(Map.of()).monitoring();
    assertEquals(FaultlineConfig.Monitoring.defaults(), defaults);
    assertNull(defaults.tcpBridgePort(), "the TCP bridge is off by default");

    Path prices = LogTesting.write(dist.resolve("mine.yaml"), LogTesting.TEST_PRICES);
    FaultlineConfig.Monitoring set = load(Map.of("FAULTLINE_LOG_RETENTION_DAYS", "7",
        "FAULTLINE_LOG_RETENTION_ROWS", "0", "FAULTLINE_LOG_QUEUE_SIZE", "10", "FAULTLINE_TCP_BRIDGE_PORT", "7000",
        "FAULTLINE_PRICES", prices.toString())).monitoring();
    assertEquals(new FaultlineConfig.Monitoring(7, 0, 10, 7000, prices), set);
  }

  @Test
  void theNodeLabelIsTheHostNameUnlessNamed() {
    assertNull(load(Map.of()).monitoring().nodeId(), "empty in the shipped file: the host name is used");
    assertEquals("eu-west-2", load(Map.of("FAULTLINE_NODE_ID", " eu-west-2 ")).monitoring().nodeId());
  }

  @Test
  void aPriceTableNextToTheJarIsFoundWithoutBeingNamed() {
    Path next = LogTesting.write(dist.resolve("config/prices.yaml"), LogTesting.TEST_PRICES);
    assertEquals(next, load(Map.of()).monitoring().pricesFile());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "FAULTLINE_LOG_RETENTION_DAYS | -1     | monitoring.log_retention_days",
      "FAULTLINE_LOG_RETENTION_ROWS | lots   | monitoring.log_retention_rows",
      "FAULTLINE_LOG_QUEUE_SIZE     | 0      | monitoring.log_queue_size",
      "FAULTLINE_TCP_BRIDGE_PORT    | 70000  | monitoring.tcp_bridge_port",
      "FAULTLINE_PRICES             | /nope  | monitoring.prices_file"})
  void aBadSettingStopsTheStartNamingIt(String variable, String value, String setting) {
    ConfigLoader.ConfigException e = assertThrows(ConfigLoader.ConfigException.class,
        () -> load(Map.of(variable, value)));
    assertTrue(e.getMessage().startsWith(setting) && e.getMessage().contains(variable), e.getMessage());
  }

  @Test
  void theLoggingBlockIsShownCheckedAndChanged(Vertx vertx) {
    Faultline faultline = LogTesting.start(vertx, dist.resolve("data"));
    try {
      WebClient client = FaultlineHarness.client(vertx);
      JsonObject proxy = LogTesting.proxy(client, faultline, new JsonObject().put("name", "b").put("provider", "mock"));
      assertEquals(new JsonObject().put("enabled", true).put("bodies", false).put("max_body_bytes", 4096),
          proxy.getJsonObject("logging"), "the defaults");

      for (Object[] bad : new Object[][] {
          {new JsonObject().put("bodies", "yes"), "logging.bodies"},
          {new JsonObject().put("max_body_bytes", 65_537), "logging.max_body_bytes"},
          {new JsonObject().put("max_body_bytes", 1.5), "logging.max_body_bytes"},
          {new JsonObject().put("headers", true), "logging.headers"},
          {"everything", "logging"}}) {
        JsonObject error = await(client.patch(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + proxy.getString("id"))
            .sendJsonObject(new JsonObject().put("logging", bad[0])).map(r -> expect(r, 400).bodyAsJsonObject()))
            .getJsonObject("error");
        assertEquals(bad[1], error.getString("field"), error.encode());
      }

      JsonObject changed = await(client.patch(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + proxy.getString("id"))
          .sendJsonObject(new JsonObject().put("logging", new JsonObject().put("bodies", true)))
          .map(r -> expect(r, 200).bodyAsJsonObject()));
      assertEquals(new JsonObject().put("enabled", true).put("bodies", true).put("max_body_bytes", 4096),
          changed.getJsonObject("logging"), "what is left out takes its default");
    } finally {
      await(faultline.stop());
    }
  }

  private FaultlineConfig load(Map<String, String> env) {
    return new ConfigLoader(env, dist).load();
  }
}
