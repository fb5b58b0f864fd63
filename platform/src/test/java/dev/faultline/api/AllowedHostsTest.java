package dev.faultline.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which Host names the admin port answers to, and the setting that adds names. */
class AllowedHostsTest {

  @TempDir
  Path dist;

  @Test
  void loopbackNamesTheBoundAddressAndTheAddressReachedAlways() {
    AllowedHosts hosts = new AllowedHosts("10.0.0.7", List.of());
    for (String host : List.of("localhost", "LOCALHOST", "localhost.", "127.0.0.1", "[::1]", "::1",
        "[0:0:0:0:0:0:0:1]", "10.0.0.7")) {
      assertTrue(hosts.allows(host, "127.0.0.1"), host);
    }
    assertTrue(hosts.allows("192.168.1.5", "192.168.1.5"), "the address the request came in on");
    assertTrue(hosts.allows("192.168.1.5", "::ffff:192.168.1.5"), "the same, seen by a dual-stack socket");
    assertFalse(hosts.allows("192.168.1.6", "192.168.1.5"));
    assertFalse(hosts.allows("evil.example", "127.0.0.1"));
    assertFalse(hosts.allows("localhost.evil.example", "127.0.0.1"));
    assertFalse(hosts.allows("", "127.0.0.1"));
    assertFalse(hosts.allows(null, "127.0.0.1"));
  }

  @Test
  void aWildcardBindAddsNoName() {
    AllowedHosts hosts = new AllowedHosts("0.0.0.0", List.of("faultline.internal"));
    assertFalse(hosts.allows("0.0.0.0", "127.0.0.1"));
    assertTrue(hosts.allows("Faultline.Internal", "10.0.0.7"));
    assertEquals(List.of("127.0.0.1", "[::1]", "faultline.internal", "localhost"), hosts.names());
  }

  @Test
  void addedByTheFileAsAListAndByTheVariableCommaSeparated() throws IOException {
    assertEquals(List.of(), new ConfigLoader(Map.of(), dist).load().adminAllowedHosts());
    Path file = Files.writeString(dist.resolve("faultline.yaml"),
        "admin:\n  allowed_hosts: [faultline.internal, \"[fd00::1]\", 192.168.1.5]\n");
    assertEquals(List.of("faultline.internal", "[fd00::1]", "192.168.1.5"),
        new ConfigLoader(Map.of("FAULTLINE_CONFIG", file.toString()), dist).load().adminAllowedHosts());
    assertEquals(List.of("a.example", "b.example"), new ConfigLoader(Map.of("FAULTLINE_CONFIG", file.toString(),
        "FAULTLINE_ADMIN_ALLOWED_HOSTS", " a.example , b.example "), dist).load().adminAllowedHosts());
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://faultline.internal", "faultline.internal:8080", "*.example", "a b", "-x.example"})
  void aBadNameStopsTheStartNamingTheSetting(String name) {
    ConfigLoader.ConfigException error = assertThrows(ConfigLoader.ConfigException.class,
        () -> new ConfigLoader(Map.of("FAULTLINE_ADMIN_ALLOWED_HOSTS", "ok.example," + name), dist).load());
    assertTrue(error.getMessage().startsWith("admin.allowed_hosts (FAULTLINE_ADMIN_ALLOWED_HOSTS): '" + name + "'"),
        error.getMessage());
  }
}
