package dev.faultline.plugin.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * This plugin API's own version, as built. A plugin declares the versions it works with in its
 * manifest, as a range ({@code Plugin-Requires: >=0.1.0 & <1.0.0}); the host refuses a plugin
 * whose range leaves out its {@link #VERSION}. Read at run time from the host's copy of this
 * class, so a plugin sees the version it actually runs against.
 */
public final class PluginApi {

  /** The plugin API's version, e.g. {@code 0.1.0} (a development build ends in {@code -SNAPSHOT}). */
  public static final String VERSION = load();

  private PluginApi() {
  }

  private static String load() {
    Properties properties = new Properties();
    try (InputStream in = PluginApi.class.getResourceAsStream("plugin-api.properties")) {
      if (in == null) {
        throw new IllegalStateException("plugin-api.properties is missing from the plugin API jar");
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read plugin-api.properties", e);
    }
    String version = properties.getProperty("version", "");
    if (!version.matches("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?")) {
      throw new IllegalStateException("plugin-api.properties holds no built version: '" + version + "'");
    }
    return version;
  }
}
