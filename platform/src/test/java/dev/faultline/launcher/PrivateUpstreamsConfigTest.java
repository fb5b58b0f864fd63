package dev.faultline.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.faultline.proxy.upstream.UpstreamPolicy.PrivateUpstreams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** proxies.private_upstreams: admins by default, everyone from the file or the variable, nothing else. */
class PrivateUpstreamsConfigTest {

  @TempDir
  Path dist;

  @Test
  void adminsByDefault() {
    assertEquals(PrivateUpstreams.ADMINS, new ConfigLoader(Map.of(), dist).load().privateUpstreams());
  }

  @Test
  void everyoneFromTheFileOrTheVariable() throws IOException {
    Path file = Files.writeString(dist.resolve("faultline.yaml"), "proxies:\n  private_upstreams: everyone\n");
    assertEquals(PrivateUpstreams.EVERYONE,
        new ConfigLoader(Map.of("FAULTLINE_CONFIG", file.toString()), dist).load().privateUpstreams());
    assertEquals(PrivateUpstreams.EVERYONE,
        new ConfigLoader(Map.of("FAULTLINE_PRIVATE_UPSTREAMS", "Everyone"), dist).load().privateUpstreams());
  }

  @Test
  void anythingElseStopsTheStartNamingTheSetting() {
    ConfigLoader.ConfigException error = assertThrows(ConfigLoader.ConfigException.class,
        () -> new ConfigLoader(Map.of("FAULTLINE_PRIVATE_UPSTREAMS", "nobody"), dist).load());
    assertEquals("proxies.private_upstreams (FAULTLINE_PRIVATE_UPSTREAMS): invalid value 'nobody': "
        + "must be admins or everyone", error.getMessage());
  }
}
