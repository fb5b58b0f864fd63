package dev.faultline.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.server.ConnectionTimeouts;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The connection timeouts, the shutdown grace and the log overflow settings: defaults, variables, bad values. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HardeningSettingsTest {

  @TempDir
  Path dist;

  @Test
  void defaultsComeFromTheShippedYaml() {
    FaultlineConfig config = load(Map.of());
    assertEquals(new ConnectionTimeouts(60_000, 30_000, 10_000), config.timeouts());
    assertEquals(FaultlineConfig.LogOverflow.BACKPRESSURE, config.monitoring().logOverflow());
    assertEquals(5_000, config.monitoring().logMaxLagMillis());
  }

  @Test
  void variablesSetThemWithFractionsOfSeconds() {
    FaultlineConfig config = load(Map.of("FAULTLINE_IDLE_TIMEOUT", "0.5", "FAULTLINE_REQUEST_READ_TIMEOUT", "0",
        "FAULTLINE_SHUTDOWN_GRACE", "3", "FAULTLINE_ON_OVERFLOW", "DROP", "FAULTLINE_LOG_MAX_LAG", "2.5"));
    assertEquals(new ConnectionTimeouts(500, 0, 3_000), config.timeouts());
    assertEquals(FaultlineConfig.LogOverflow.DROP, config.monitoring().logOverflow());
    assertEquals(2_500, config.monitoring().logMaxLagMillis());
  }

  @Test
  void badValuesNameTheSetting() {
    assertRefused(Map.of("FAULTLINE_IDLE_TIMEOUT", "-1"), "server.idle_timeout_seconds", "FAULTLINE_IDLE_TIMEOUT");
    assertRefused(Map.of("FAULTLINE_SHUTDOWN_GRACE", "soon"), "server.shutdown_grace_seconds", "not a number");
    assertRefused(Map.of("FAULTLINE_ON_OVERFLOW", "block"), "monitoring.on_overflow", "backpressure or drop");
  }

  private void assertRefused(Map<String, String> env, String... fragments) {
    ConfigLoader.ConfigException e = assertThrows(ConfigLoader.ConfigException.class, () -> load(env));
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), "the message should mention '" + fragment + "': " + e.getMessage());
    }
  }

  private FaultlineConfig load(Map<String, String> env) {
    return new ConfigLoader(new HashMap<>(env), dist).load();
  }
}
