package dev.faultline.plugins;

import java.util.List;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin's class loader: plugin-first, as PF4J's, except for the packages the host and its
 * plugins must share. A plugin that bundled its own copy of Vert.x or of the plugin API would
 * otherwise see its own {@code Provider} class, not the host's: PF4J would find no extension,
 * or fail with "Provider cannot be cast to Provider".
 */
final class HostFirstClassLoader extends PluginClassLoader {

  static final List<String> HOST_PACKAGES = List.of(
      "dev.faultline.plugin.api.",
      "io.vertx.",
      "io.netty.",
      "com.fasterxml.jackson.",
      "org.slf4j.",
      "org.pf4j.");

  HostFirstClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader host) {
    super(manager, descriptor, host, ClassLoadingStrategy.PDA);
  }

  @Override
  public Class<?> loadClass(String className) throws ClassNotFoundException {
    if (isHostClass(className)) {
      return getParent().loadClass(className);
    }
    return super.loadClass(className);
  }

  static boolean isHostClass(String className) {
    for (String prefix : HOST_PACKAGES) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
