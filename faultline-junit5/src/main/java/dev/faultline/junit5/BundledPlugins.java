package dev.faultline.junit5;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The plugins Faultline ships with, carried inside the kit's jar and written out to a plugins
 * folder at start: PF4J loads plugins from files, and keeping them off the classpath keeps their
 * classes away from the application under test.
 */
final class BundledPlugins {

  static final List<String> JARS = List.of("provider-mock.jar", "provider-openai.jar", "provider-anthropic.jar",
      "faults-builtin.jar");

  private BundledPlugins() {
  }

  static void extractTo(Path dir) {
    try {
      Files.createDirectories(dir);
      for (String jar : JARS) {
        try (InputStream in = BundledPlugins.class.getResourceAsStream("plugins/" + jar)) {
          if (in == null) {
            throw new IllegalStateException("the test kit's jar has no plugins/" + jar
                + ": it was built without the bundled plugins (see faultline-junit5/pom.xml)");
          }
          Files.copy(in, dir.resolve(jar));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the bundled plugins to " + dir, e);
    }
  }
}
