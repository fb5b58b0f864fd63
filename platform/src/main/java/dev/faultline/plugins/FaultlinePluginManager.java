package dev.faultline.plugins;

import dev.faultline.plugin.api.PluginApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.util.FileUtils;

/**
 * PF4J's manager, loading plugin jars through {@link HostFirstClassLoader}, with the plugin API's
 * version as PF4J's system version: a plugin's {@code Plugin-Requires} range is checked against it.
 */
final class FaultlinePluginManager extends DefaultPluginManager {

  /** The class loader plugins share packages with (see {@link HostFirstClassLoader}). */
  private final ClassLoader host;

  /**
   * The version {@code Plugin-Requires} ranges are checked against: the plugin API's, a
   * development build ({@code 0.1.0-SNAPSHOT}) counting as its release, which semver would rank
   * below {@code >=0.1.0}.
   */
  static final String API_VERSION = PluginApi.VERSION.replaceFirst("-.*$", "");

  FaultlinePluginManager(Path pluginsDir) {
    this(pluginsDir, FaultlinePluginManager.class.getClassLoader());
  }

  /** {@code host}: tests pass a loader without the libraries the shipped jar lacks. */
  FaultlinePluginManager(Path pluginsDir, ClassLoader host) {
    super(pluginsDir);
    this.host = host;
    setSystemVersion(API_VERSION);
  }

  /**
   * Why {@code jar} cannot run on this plugin API: its {@code Plugin-Requires} range leaves out
   * {@link #API_VERSION}, or is not a range. Empty when it fits, requires nothing, or the
   * descriptor cannot be read (loading then reports why).
   */
  Optional<String> apiMismatch(Path jar) {
    String requires;
    try {
      requires = requires(getPluginDescriptorFinder().find(jar));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    if (requires.equals("*")) {
      return Optional.empty();
    }
    // As PF4J reads it: a bare version is a minimum.
    String range = requires.matches("\\d+\\.\\d+\\.\\d+") ? ">=" + requires : requires;
    boolean fits;
    try {
      fits = getVersionManager().checkVersionConstraint(API_VERSION, range);
    } catch (RuntimeException e) {
      return Optional.of("Plugin-Requires '" + requires + "' is not a version range (write e.g. '>=0.1.0 & <1.0.0'): "
          + e.getMessage());
    }
    if (fits) {
      return Optional.empty();
    }
    return Optional.of("requires plugin-api " + requires + " (Plugin-Requires), but this Faultline has plugin-api "
        + PluginApi.VERSION + ": use a build of the plugin whose range includes " + API_VERSION
        + ", or a Faultline whose plugin-api version is in " + requires);
  }

  /** A descriptor's {@code Plugin-Requires}, {@code *} when it sets none. */
  static String requires(PluginDescriptor descriptor) {
    String requires = descriptor.getRequires();
    return requires == null || requires.isBlank() ? "*" : requires.trim();
  }

  /**
   * The plugin id of {@code jar} when a plugin with that id is loaded already: PF4J would refuse
   * the jar with a long message; the host says which jar has the id instead. Empty when the id is
   * free or the descriptor cannot be read (loading then reports why).
   */
  Optional<String> loadedIdOf(Path jar) {
    try {
      String id = getPluginDescriptorFinder().find(jar).getPluginId();
      return id != null && getPlugin(id) != null ? Optional.of(id) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  protected PluginLoader createPluginLoader() {
    return new PluginLoader() {
      @Override
      public boolean isApplicable(Path path) {
        return Files.isRegularFile(path) && FileUtils.isJarFile(path);
      }

      @Override
      public ClassLoader loadPlugin(Path path, PluginDescriptor descriptor) {
        PluginClassLoader loader = new HostFirstClassLoader(FaultlinePluginManager.this, descriptor, host);
        loader.addFile(path.toFile());
        return loader;
      }
    };
  }
}
