package dev.faultline.ipfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.launcher.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trusted-proxies setting: empty by default, a YAML list or a comma-separated variable, each rule checked. */
class TrustedProxiesConfigTest {

  @TempDir
  Path dist;

  @Test
  void noneByDefault() {
    assertEquals(List.of(), new ConfigLoader(Map.of(), dist).load().trustedProxies());
  }

  @Test
  void readFromTheFileAsAListAndFromTheVariableCommaSeparated() throws IOException {
    Path file = Files.writeString(dist.resolve("faultline.yaml"),
        "proxies:\n  trusted_proxies: [\"10.0.0.0/8\", \"192.168.*.*\"]\n");
    assertEquals(List.of("10.0.0.0/8", "192.168.*.*"),
        new ConfigLoader(Map.of("FAULTLINE_CONFIG", file.toString()), dist).load().trustedProxies());
    assertEquals(List.of("127.0.0.3", "::1"),
        new ConfigLoader(Map.of("FAULTLINE_TRUSTED_PROXIES", " 127.0.0.3 , ::1 "), dist).load().trustedProxies());
  }

  @Test
  void aBadRuleStopsTheStartNamingTheSetting() {
    ConfigLoader.ConfigException error = assertThrows(ConfigLoader.ConfigException.class,
        () -> new ConfigLoader(Map.of("FAULTLINE_TRUSTED_PROXIES", "10.0.0.0/8,10.1.0.0/40"), dist).load());
    assertTrue(error.getMessage().startsWith("proxies.trusted_proxies (FAULTLINE_TRUSTED_PROXIES): '10.1.0.0/40'"),
        error.getMessage());
  }
}
