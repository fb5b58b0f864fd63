package dev.faultline.plugins;

import java.nio.file.Files;
import java.nio.file.Path;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;
import org.pf4j.util.FileUtils;

/** PF4J's manager, loading plugin jars through {@link HostFirstClassLoader}. */
final class FaultlinePluginManager extends DefaultPluginManager {

  FaultlinePluginManager(Path pluginsDir) {
    super(pluginsDir);
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
        PluginClassLoader loader = new HostFirstClassLoader(FaultlinePluginManager.this, descriptor,
            FaultlinePluginManager.class.getClassLoader());
        loader.addFile(path.toFile());
        return loader;
      }
    };
  }
}
