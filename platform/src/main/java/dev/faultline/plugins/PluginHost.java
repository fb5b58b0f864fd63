package dev.faultline.plugins;

import dev.faultline.plugin.api.Provider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.pf4j.InvalidPluginDescriptorException;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads every plugin jar of the plugins folder and keeps their extensions. A jar that cannot be
 * loaded, started or instantiated is reported (file and reason) and skipped: one broken plugin
 * never stops the host.
 */
public final class PluginHost {

  private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);

  private final Path folder;
  private final FaultlinePluginManager manager;
  private final Map<String, Provider> providers = new ConcurrentHashMap<>();
  private final List<LoadedPlugin> loaded = new CopyOnWriteArrayList<>();
  private final List<FailedPlugin> failed = new CopyOnWriteArrayList<>();

  private PluginHost(Path folder) {
    this.folder = folder;
    this.manager = new FaultlinePluginManager(folder);
  }

  /** Loads the folder's plugins on a worker thread: class loading and jar reading block. */
  public static Future<PluginHost> start(Vertx vertx, Path folder) {
    return vertx.executeBlocking(() -> {
      PluginHost host = new PluginHost(folder);
      host.loadAll();
      return host;
    });
  }

  public Optional<Provider> provider(String id) {
    return Optional.ofNullable(providers.get(id));
  }

  public Set<String> providerIds() {
    return new TreeSet<>(providers.keySet());
  }

  public List<LoadedPlugin> loaded() {
    return List.copyOf(loaded);
  }

  public List<FailedPlugin> failed() {
    return List.copyOf(failed);
  }

  /** {@code GET /api/plugins}: loaded plugins with their extensions, and failed jars with why. */
  public JsonObject describe() {
    JsonArray plugins = new JsonArray();
    loaded.forEach(p -> plugins.add(p.toJson()));
    JsonArray failures = new JsonArray();
    failed.forEach(f -> failures.add(new JsonObject().put("file", f.file()).put("reason", f.reason())));
    return new JsonObject()
        .put("folder", folder.toAbsolutePath().toString())
        .put("plugins", plugins)
        .put("failed", failures);
  }

  public void stop() {
    manager.stopPlugins();
    manager.unloadPlugins();
  }

  private void loadAll() {
    createFolderIfMissing();
    List<Path> jars;
    try (Stream<Path> files = Files.list(folder)) {
      jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the plugins folder " + folder.toAbsolutePath(), e);
    }
    jars.forEach(this::load);
    LOG.info("Plugins from {}: {} loaded, {} failed; providers: {}",
        folder.toAbsolutePath(), loaded.size(), failed.size(), providerIds());
  }

  private void createFolderIfMissing() {
    if (Files.isDirectory(folder)) {
      return;
    }
    try {
      Files.createDirectories(folder);
      LOG.warn("Plugins folder {} did not exist: created it (empty, so no provider is loaded)", folder.toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the plugins folder " + folder.toAbsolutePath(), e);
    }
  }

  private void load(Path jar) {
    String file = jar.getFileName().toString();
    String pluginId = null;
    try {
      checkIsZip(jar);
      try {
        pluginId = manager.loadPlugin(jar);
      } catch (InvalidPluginDescriptorException e) {
        throw new PluginFailure("bad plugin descriptor: " + e.getMessage()
            + " (META-INF/MANIFEST.MF must set Plugin-Id and Plugin-Version)");
      }
      PluginState state;
      try {
        state = manager.startPlugin(pluginId);
      } catch (RuntimeException | LinkageError e) {
        throw new PluginFailure("did not start: " + describe(e));
      }
      PluginWrapper plugin = manager.getPlugin(pluginId);
      if (state != PluginState.STARTED) {
        Throwable cause = plugin.getFailedException();
        throw new PluginFailure("did not start (" + state + ")" + (cause == null ? "" : ": " + describe(cause)));
      }
      List<String> extensions = registerExtensions(plugin);
      loaded.add(new LoadedPlugin(plugin, file, extensions));
    } catch (Throwable e) {
      String reason = describe(e);
      LOG.error("Skipped plugin jar {}: {}", file, reason);
      failed.add(new FailedPlugin(file, reason));
      unloadQuietly(pluginId);
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

  /** Instantiates every extension the jar's index names; all of them, or the plugin fails. */
  private List<String> registerExtensions(PluginWrapper plugin) {
    Set<String> names = manager.getExtensionClassNames(plugin.getPluginId());
    if (names.isEmpty()) {
      throw new PluginFailure("no extensions found (is META-INF/extensions.idx in the jar?)");
    }
    Map<String, Provider> found = new LinkedHashMap<>();
    List<String> described = new ArrayList<>();
    for (String name : names) {
      Object extension = instantiate(plugin, name);
      if (extension instanceof Provider provider) {
        if (providers.containsKey(provider.id()) || found.containsKey(provider.id())) {
          throw new PluginFailure("provider id '" + provider.id() + "' is already taken by another plugin");
        }
        found.put(provider.id(), provider);
        described.add("provider:" + provider.id());
      } else {
        throw new PluginFailure("extension " + name + " implements no Faultline extension point");
      }
    }
    providers.putAll(found);
    return described;
  }

  private Object instantiate(PluginWrapper plugin, String className) {
    try {
      Class<?> type = plugin.getPluginClassLoader().loadClass(className);
      return manager.getExtensionFactory().create(type);
    } catch (Throwable e) {
      throw new PluginFailure("extension " + className + " cannot be created: " + describe(e));
    }
  }

  private void unloadQuietly(String pluginId) {
    if (pluginId == null) {
      return;
    }
    try {
      manager.unloadPlugin(pluginId);
    } catch (RuntimeException e) {
      LOG.debug("Unloading failed plugin {} failed too", pluginId, e);
    }
  }

  /** The whole cause chain on one line: the root cause is often the useful part. */
  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (text.length() > 0) {
        text.append(" <- ");
      }
      if (!(t instanceof PluginFailure)) {
        text.append(t.getClass().getSimpleName()).append(": ");
      }
      text.append(t.getMessage());
    }
    return text.toString();
  }

  /** A plugin that loaded, and what it adds. */
  public record LoadedPlugin(String id, String version, String provider, String description, String file,
                             List<String> extensions) {
    LoadedPlugin(PluginWrapper plugin, String file, List<String> extensions) {
      this(plugin.getPluginId(), plugin.getDescriptor().getVersion(), plugin.getDescriptor().getProvider(),
          plugin.getDescriptor().getPluginDescription(), file, List.copyOf(extensions));
    }

    JsonObject toJson() {
      return new JsonObject().put("id", id).put("version", version).put("provider", provider)
          .put("description", description).put("file", file).put("extensions", new JsonArray(extensions));
    }
  }

  /** A jar that was skipped, and why. */
  public record FailedPlugin(String file, String reason) {
  }

  private static final class PluginFailure extends RuntimeException {
    PluginFailure(String message) {
      super(message);
    }
  }
}
