package dev.faultline.plugins;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin's class loader, drawing the line as Kafka Connect's plugin isolation does: the few
 * packages whose types cross between host and plugin come from the host first; everything else
 * comes from the plugin's jar first, so a plugin may bundle any library at any version. Either
 * way the other side is the fallback: a class the plugin jar lacks comes from the host, and a
 * class in a shared package that the host lacks comes from the plugin jar.
 *
 * <p>Shared means a type in the plugin API's signatures or in what PF4J and logging hand over:
 * a plugin that bundled its own {@code Provider} or {@code io.vertx.core.Future} would otherwise
 * fail with "Provider cannot be cast to Provider". Jackson is not shared: no Vert.x core
 * signature exposes a Jackson type, and Vert.x core's own classes, loaded by the host, resolve
 * the host's Jackson whatever a plugin bundles.
 */
final class HostFirstClassLoader extends PluginClassLoader {

  /** Packages (and the JDK's) always taken from the host when it has them. */
  static final List<String> SHARED_PACKAGES = List.of(
      "dev.faultline.plugin.api.",
      "io.vertx.core.",
      "io.netty.",
      "org.pf4j.",
      "org.slf4j.",
      // The JDK's own: a class loader may not define java.*, and the rest must be the runtime's.
      "java.",
      "javax.",
      "jdk.",
      "sun.",
      "com.sun.",
      "org.w3c.dom.",
      "org.xml.sax.",
      "org.ietf.jgss.");

  private final PluginDescriptor descriptor;

  HostFirstClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader host) {
    super(manager, descriptor, host, ClassLoadingStrategy.PDA);
    this.descriptor = descriptor;
  }

  @Override
  public Class<?> loadClass(String className) throws ClassNotFoundException {
    synchronized (getClassLoadingLock(className)) {
      Class<?> loaded = findLoadedClass(className);
      if (loaded != null) {
        return loaded;
      }
      boolean shared = isShared(className);
      Class<?> found = shared ? fromHost(className) : fromPlugin(className);
      if (found == null) {
        found = shared ? fromPlugin(className) : fromHost(className);
      }
      if (found == null) {
        throw new ClassNotFoundException(className + " (in neither plugin " + descriptor.getPluginId()
            + "'s jar nor the host)");
      }
      return found;
    }
  }

  @Override
  public URL getResource(String name) {
    boolean shared = isShared(resourceAsClassName(name));
    URL found = shared ? hostResource(name) : pluginResource(name);
    return found != null ? found : shared ? pluginResource(name) : hostResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    List<URL> plugin = Collections.list(findResources(name));
    plugin.addAll(findResourcesFromDependencies(name));
    List<URL> host = getParent() == null ? List.of() : Collections.list(getParent().getResources(name));
    List<URL> all = new ArrayList<>();
    if (isShared(resourceAsClassName(name))) {
      all.addAll(host);
      all.addAll(plugin);
    } else {
      all.addAll(plugin);
      all.addAll(host);
    }
    return Collections.enumeration(all);
  }

  static boolean isShared(String className) {
    for (String prefix : SHARED_PACKAGES) {
      if (className.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** {@code io/vertx/core/Future.class} reads as {@code io.vertx.core.Future.class}: same prefixes. */
  private static String resourceAsClassName(String resource) {
    return (resource.startsWith("/") ? resource.substring(1) : resource).replace('/', '.');
  }

  /** The plugin's jar, then the plugins it declares as dependencies ({@code Plugin-Dependencies}). */
  private Class<?> fromPlugin(String className) {
    try {
      return findClass(className);
    } catch (ClassNotFoundException notInJar) {
      return descriptor.getDependencies().isEmpty() ? null : loadClassFromDependencies(className);
    }
  }

  private Class<?> fromHost(String className) {
    try {
      return getParent().loadClass(className);
    } catch (ClassNotFoundException notInHost) {
      return null;
    }
  }

  private URL pluginResource(String name) {
    URL url = findResource(name);
    return url != null || descriptor.getDependencies().isEmpty() ? url : findResourceFromDependencies(name);
  }

  private URL hostResource(String name) {
    return getParent() == null ? null : getParent().getResource(name);
  }
}
