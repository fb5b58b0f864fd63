package dev.faultline.plugins;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.util.FileUtils;

/** PF4J's manager, loading plugin jars through {@link HostFirstClassLoader}. */
final class FaultlinePluginManager extends DefaultPluginManager {

  /** The class loader plugins share packages with (see {@link HostFirstClassLoader}). */
  private final ClassLoader host;

  FaultlinePluginManager(Path pluginsDir) {
    this(pluginsDir, FaultlinePluginManager.class.getClassLoader());
  }

  /** {@code host}: tests pass a loader without the libraries the shipped jar lacks. */
  FaultlinePluginManager(Path pluginsDir, ClassLoader host) {
    super(pluginsDir);
    this.host = host;
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
