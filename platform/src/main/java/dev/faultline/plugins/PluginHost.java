package dev.faultline.plugins;

import dev.faultline.plugin.api.FaultStrategy;
import dev.faultline.plugin.api.PluginApi;
import dev.faultline.plugin.api.Provider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.pf4j.PluginWrapper;

/**
 * The plugins: every jar of the plugins folder loaded ({@link JarLoader}), their extensions by id
 * ({@link ExtensionRegistry}), and the folder watched for jars dropped in, replaced or removed
 * ({@link FolderWatcher}). A jar that cannot be loaded, started or instantiated is reported (file
 * and reason) and skipped: one broken plugin never stops the host. The {@link #onChange
 * listeners} hear which providers came, were replaced or went, so proxies move to a replacement
 * without closing their ports.
 */
public final class PluginHost {

  private final Path folder;
  private final FaultlinePluginManager manager;
  private final ExtensionRegistry registry = new ExtensionRegistry();
  private final List<LoadedPlugin> loaded = new CopyOnWriteArrayList<>();
  private final List<FailedPlugin> failed = new CopyOnWriteArrayList<>();
  private final FolderWatcher watcher;

  private PluginHost(Path folder) {
    this.folder = folder;
    this.manager = new FaultlinePluginManager(folder);
    this.watcher = new FolderWatcher(folder, new JarLoader(manager, registry), registry, loaded, failed);
  }

  /**
   * Loads the folder's plugins on a worker thread: class loading and jar reading block. Unordered,
   * so that it runs beside other blocking work its caller's context started (the database's).
   */
  public static Future<PluginHost> start(Vertx vertx, Path folder) {
    return vertx.executeBlocking(() -> {
      PluginHost host = new PluginHost(folder);
      host.watcher.loadAll();
      return host;
    }, false);
  }

  public Optional<Provider> provider(String id) {
    return registry.provider(id);
  }

  public Set<String> providerIds() {
    return registry.providerIds();
  }

  public Optional<FaultStrategy> faultStrategy(String id) {
    return registry.faultStrategy(id);
  }

  public Collection<FaultStrategy> faultStrategies() {
    return registry.faultStrategies();
  }

  /**
   * Tells {@code listener} when plugins came, went or were replaced, on an event loop, once the
   * folder's changes are loaded: a listener moves, fails or restarts the proxies using them. The
   * classes of a plugin already unloaded keep working for what still holds them (they are all
   * loaded up front), so requests in flight on a replaced or removed provider finish.
   */
  public void onChange(Function<PluginChange, Future<Void>> listener) {
    watcher.onChange(listener);
  }

  /** Looks at the plugins folder every {@code intervalMillis} for jars dropped in, replaced or removed. */
  public void watch(Vertx vertx, long intervalMillis) {
    watcher.watch(vertx, intervalMillis);
  }

  /** Stops looking at the plugins folder. */
  public void unwatch() {
    watcher.unwatch();
  }

  /** Loads new jars and unloads removed ones now; a scan already running makes this a no-op. */
  public Future<Void> rescan() {
    return watcher.rescan();
  }

  public List<LoadedPlugin> loaded() {
    return List.copyOf(loaded);
  }

  public List<FailedPlugin> failed() {
    return List.copyOf(failed);
  }

  /**
   * {@code GET /api/plugins}: the host's plugin API version, loaded plugins with their extensions
   * and the plugin API range each requires, and failed jars with why.
   */
  public JsonObject describe() {
    JsonArray plugins = new JsonArray();
    loaded.forEach(p -> plugins.add(p.toJson()));
    JsonArray failures = new JsonArray();
    failed.forEach(f -> failures.add(new JsonObject().put("file", f.file()).put("reason", f.reason())));
    return new JsonObject()
        .put("plugin_api_version", PluginApi.VERSION)
        .put("folder", folder.toAbsolutePath().toString())
        .put("plugins", plugins)
        .put("providers", providers())
        .put("failed", failures);
  }

  /** Each loaded provider with its plugin and its described options, for the dashboard's forms. */
  private JsonArray providers() {
    JsonArray providers = new JsonArray();
    for (LoadedPlugin plugin : loaded) {
      for (String id : plugin.providerIds()) {
        provider(id).ifPresent(provider -> {
          JsonArray options = new JsonArray();
          ParamRules.options(provider).forEach(option -> options.add(ParamRules.toJson(option)));
          providers.add(new JsonObject().put("id", id).put("plugin", plugin.id())
              .put("description", provider.description())
              .put("default_upstream", provider.defaultUpstream().orElse(null))
              .put("options", options));
        });
      }
    }
    return providers;
  }

  public void stop() {
    unwatch();
    manager.stopPlugins();
    manager.unloadPlugins();
  }

  /**
   * A plugin that loaded, what it adds ({@code provider:<id>}, {@code fault:<id>}), and the plugin
   * API versions it requires ({@code *} when its manifest names none).
   */
  public record LoadedPlugin(String id, String version, String provider, String description, String file,
                             List<String> extensions, String requires) {
    static final String PROVIDER = "provider:";
    static final String FAULT = "fault:";

    LoadedPlugin(PluginWrapper plugin, String file, List<String> extensions) {
      this(plugin.getPluginId(), plugin.getDescriptor().getVersion(), plugin.getDescriptor().getProvider(),
          plugin.getDescriptor().getPluginDescription(), file, List.copyOf(extensions),
          FaultlinePluginManager.requires(plugin.getDescriptor()));
    }

    Set<String> providerIds() {
      return ids(PROVIDER);
    }

    Set<String> faultStrategyIds() {
      return ids(FAULT);
    }

    private Set<String> ids(String kind) {
      Set<String> ids = new LinkedHashSet<>();
      extensions.stream().filter(e -> e.startsWith(kind)).forEach(e -> ids.add(e.substring(kind.length())));
      return ids;
    }

    JsonObject toJson() {
      return new JsonObject().put("id", id).put("version", version).put("provider", provider)
          .put("description", description).put("file", file).put("extensions", new JsonArray(extensions))
          .put("requires", requires);
    }
  }

  /** A jar that was skipped, and why. */
  public record FailedPlugin(String file, String reason) {
  }

  /**
   * What one look at the plugins folder changed: providers that are new, providers now
   * implemented by a new jar (same id), providers gone (with why), and fault strategies that came,
   * went or were replaced.
   */
  public record PluginChange(Set<String> addedProviders, Set<String> replacedProviders,
                             Map<String, String> removedProviders, Set<String> faultStrategies) {
  }

}
