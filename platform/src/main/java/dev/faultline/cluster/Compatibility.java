package dev.faultline.cluster;

import dev.faultline.api.Version;
import dev.faultline.plugin.api.PluginApi;

/**
 * What nodes must share to form a cluster: Faultline's version (major and minor: the bus messages
 * and stored rows they exchange) and the plugin API's (the faults and providers they load).
 */
public final class Compatibility {

  private Compatibility() {
  }

  public static String current() {
    return of(Version.current(), PluginApi.VERSION);
  }

  static String of(String faultline, String pluginApi) {
    return "faultline " + majorMinor(faultline) + ", plugin-api " + majorMinor(pluginApi);
  }

  /** {@code 1.4.2} → {@code 1.4}; a development build's {@code dev} stays as it is. */
  static String majorMinor(String version) {
    String[] parts = version.split("[.-]");
    return parts.length >= 2 && parts[0].matches("\\d+") && parts[1].matches("\\d+")
        ? parts[0] + "." + parts[1] : version;
  }
}
