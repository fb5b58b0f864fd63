package dev.faultline.plugin.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The version a plugin's Plugin-Requires range is checked against is the one Maven built. */
class PluginApiTest {

  @Test
  void theVersionIsThePomsVersion() throws IOException {
    // Surefire runs in the module's folder; plugin-api takes its version from the parent POM.
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher parent = Pattern.compile("<parent>.*?<version>([^<]+)</version>.*?</parent>", Pattern.DOTALL).matcher(pom);
    assertTrue(parent.find(), "no parent version in plugin-api/pom.xml");
    assertEquals(parent.group(1).trim(), PluginApi.VERSION);
  }

  @Test
  void theVersionIsSemver() {
    assertTrue(PluginApi.VERSION.matches("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?"), PluginApi.VERSION);
  }
}
