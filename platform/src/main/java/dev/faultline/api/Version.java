package dev.faultline.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version this build was made as, from the jar. */
public final class Version {

  private static final String VERSION = read();

  private Version() {
  }

  public static String current() {
    return VERSION;
  }

  private static String read() {
    try (InputStream in = Version.class.getResourceAsStream("/faultline-version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }
}
