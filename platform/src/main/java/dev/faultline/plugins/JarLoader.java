package dev.faultline.plugins;

import dev.faultline.plugin.api.FaultStrategy;
import dev.faultline.plugin.api.Provider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.pf4j.InvalidPluginDescriptorException;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one plugin jar through PF4J, starts it, instantiates its extensions into the registry,
 * and says in words what went wrong when any of that fails: not a jar, a bad manifest, a
 * duplicate id, a start that throws or blocks, a missing class. Blocking: worker threads only.
 */
final class JarLoader {

  private static final Logger LOG = LoggerFactory.getLogger(JarLoader.class);
  /** How long a plugin's start() may take before it is skipped as blocked. */
  private static final long START_TIMEOUT_SECONDS = 10;

  private final FaultlinePluginManager manager;
  private final ExtensionRegistry registry;

  JarLoader(FaultlinePluginManager manager, ExtensionRegistry registry) {
    this.manager = manager;
    this.registry = registry;
  }

  /** A jar's fate: loaded, or failed (and whether only because another plugin has its id). */
  record Outcome(PluginHost.LoadedPlugin loaded, PluginHost.FailedPlugin failed, boolean duplicate) {
  }

  /** @param holder the file a loaded plugin id comes from, for the message that refuses a duplicate */
  Outcome load(Path jar, Function<String, Optional<String>> holder) {
    String file = jar.getFileName().toString();
    String pluginId = null;
    try {
      checkIsZip(jar);
      Optional<String> taken = manager.loadedIdOf(jar);
      if (taken.isPresent()) {
        throw PluginFailure.duplicate("plugin id '" + taken.get() + "' is already loaded from "
            + holder.apply(taken.get()).orElse("another jar"));
      }
      Optional<String> misfit = manager.apiMismatch(jar);
      if (misfit.isPresent()) {
        throw new PluginFailure(misfit.get());
      }
      try {
        pluginId = manager.loadPlugin(jar);
      } catch (InvalidPluginDescriptorException e) {
        throw new PluginFailure("bad plugin descriptor: " + e.getMessage()
            + " (META-INF/MANIFEST.MF must set Plugin-Id and Plugin-Version)");
      }
      PluginState state = startWithin(pluginId, START_TIMEOUT_SECONDS);
      PluginWrapper plugin = manager.getPlugin(pluginId);
      if (state != PluginState.STARTED) {
        Throwable cause = plugin.getFailedException();
        throw new PluginFailure("did not start (" + state + ")"
            + (cause == null ? "" : ": " + PluginFailure.describe(cause)));
      }
      List<String> extensions = register(plugin);
      preload(jar, plugin.getPluginClassLoader());
      return new Outcome(new PluginHost.LoadedPlugin(plugin, file, extensions), null, false);
    } catch (Throwable e) {
      String reason = PluginFailure.describe(e);
      LOG.error("Skipped plugin jar {}: {}", file, reason);
      unload(pluginId);
      return new Outcome(null, new PluginHost.FailedPlugin(file, reason),
          e instanceof PluginFailure failure && failure.duplicate);
    }
  }

  /** Unloads a plugin; one that fails to unload is only logged. */
  void unload(String pluginId) {
    if (pluginId == null) {
      return;
    }
    try {
      manager.unloadPlugin(pluginId);
    } catch (RuntimeException e) {
      LOG.debug("Unloading plugin {} failed", pluginId, e);
    }
  }

  /**
   * Starts a plugin on a thread of its own and waits for it a while: a plugin whose start()
   * blocks (a licence server that never answers) is reported and skipped, and its thread left
   * behind, instead of holding the host's start or every later rescan.
   */
  private PluginState startWithin(String pluginId, long seconds) {
    FutureTask<PluginState> start = new FutureTask<>(() -> manager.startPlugin(pluginId));
    Thread thread = new Thread(start, "plugin-start-" + pluginId);
    thread.setDaemon(true);
    thread.start();
    try {
      return start.get(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      thread.interrupt();
      throw new PluginFailure("did not start within " + seconds + " s: its start() blocks");
    } catch (ExecutionException e) {
      throw new PluginFailure("did not start: " + PluginFailure.describe(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PluginFailure("did not start: interrupted while waiting for it");
    }
  }

  /** Instantiates every extension the jar's index names into the registry: all of them, or the plugin fails. */
  private List<String> register(PluginWrapper plugin) {
    Set<String> names = manager.getExtensionClassNames(plugin.getPluginId());
    if (names.isEmpty()) {
      throw new PluginFailure("no extensions found (is META-INF/extensions.idx in the jar?)");
    }
    Map<String, Provider> providers = new LinkedHashMap<>();
    Map<String, FaultStrategy> strategies = new LinkedHashMap<>();
    List<String> described = new ArrayList<>();
    for (String name : names) {
      // One kind each, a provider first: what is described is exactly what is registered (and unloaded).
      Object extension = instantiate(plugin, name);
      if (extension instanceof Provider provider) {
        if (providers.putIfAbsent(provider.id(), provider) != null) {
          throw PluginFailure.duplicate("provider id '" + provider.id() + "' is already taken by another plugin");
        }
        described.add(PluginHost.LoadedPlugin.PROVIDER + provider.id());
      } else if (extension instanceof FaultStrategy strategy) {
        if (strategies.putIfAbsent(strategy.id(), strategy) != null) {
          throw PluginFailure.duplicate("fault strategy id '" + strategy.id() + "' is already taken by another plugin");
        }
        described.add(PluginHost.LoadedPlugin.FAULT + strategy.id());
      } else {
        throw new PluginFailure("extension " + name + " implements no Faultline extension point");
      }
    }
    registry.add(providers, strategies);
    return described;
  }

  private Object instantiate(PluginWrapper plugin, String className) {
    try {
      Class<?> type = plugin.getPluginClassLoader().loadClass(className);
      return manager.getExtensionFactory().create(type);
    } catch (Throwable e) {
      throw new PluginFailure("extension " + className + " cannot be created: " + PluginFailure.describe(e));
    }
  }

  /**
   * Loads every class of the jar now, on this worker thread, so that the first request through
   * a proxy never reads a jar on an event loop. A class that cannot load (an optional
   * dependency the plugin never uses) is left for the plugin to trip over, if it ever does.
   */
  private static void preload(Path jar, ClassLoader loader) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      zip.stream()
          .map(ZipEntry::getName)
          .filter(name -> name.endsWith(".class") && !name.contains("-") && !name.startsWith("META-INF/"))
          .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
          .forEach(name -> {
            try {
              Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
              LOG.debug("Plugin class {} of {} does not load yet: {}", name, jar.getFileName(), e.toString());
            }
          });
    } catch (IOException e) {
      LOG.debug("Could not preload the classes of {}: {}", jar.getFileName(), e.toString());
    }
  }

  /** PF4J reports a file that is not a zip as "No PluginDescriptorFinder": say what is wrong instead. */
  private static void checkIsZip(Path jar) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      // readable: PF4J takes it from here
    } catch (IOException e) {
      throw new PluginFailure("not a valid jar (zip) file: " + e.getMessage());
    }
  }
}
