package dev.faultline.plugins;

import dev.faultline.plugin.api.FaultStrategy;
import dev.faultline.plugin.api.PluginApi;
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
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.pf4j.InvalidPluginDescriptorException;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads every plugin jar of the plugins folder and keeps their extensions. A jar that cannot be
 * loaded, started or instantiated is reported (file and reason) and skipped: one broken plugin
 * never stops the host. While {@link #watch watched}, a jar dropped into the folder is loaded, a
 * jar removed is unloaded and a jar replaced is unloaded then loaded again; the
 * {@link #onChange listeners} then hear which providers came, were replaced or went, so proxies
 * move to a replacement without closing their ports. A jar refused because another one already
 * had its plugin or provider id is tried again once a plugin goes, so it can take over.
 */
public final class PluginHost {

  private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);
  /** How long a plugin's start() may take before it is skipped as blocked. */
  private static final long START_TIMEOUT_SECONDS = 10;

  private final Path folder;
  private final FaultlinePluginManager manager;
  private final Map<String, Provider> providers = new ConcurrentHashMap<>();
  private final Map<String, FaultStrategy> faultStrategies = new ConcurrentHashMap<>();
  private final List<LoadedPlugin> loaded = new CopyOnWriteArrayList<>();
  private final List<FailedPlugin> failed = new CopyOnWriteArrayList<>();
  /** Each jar as it was when last tried, loaded or not: a jar is tried again only once it changes. */
  private final Map<String, Stamp> tried = new ConcurrentHashMap<>();
  /** Jars refused because a loaded plugin had their plugin or provider id: tried again when one goes. */
  private final Set<String> refusedAsDuplicate = ConcurrentHashMap.newKeySet();
  /**
   * During a rescan, the providers of the plugins being unloaded: their ids are free for the jars
   * loaded in the same scan (a replacement), though proxies still use them until told.
   */
  private final Map<String, Provider> leaving = new ConcurrentHashMap<>();
  private final List<Function<PluginChange, Future<Void>>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean scanning = new AtomicBoolean();
  private volatile Vertx vertx;
  private volatile long watchTimer = -1;

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

  public Optional<FaultStrategy> faultStrategy(String id) {
    return Optional.ofNullable(faultStrategies.get(id));
  }

  public Collection<FaultStrategy> faultStrategies() {
    return List.copyOf(faultStrategies.values());
  }

  /**
   * Tells {@code listener} when plugins came, went or were replaced, on an event loop, once the
   * folder's changes are loaded: a listener moves, fails or restarts the proxies using them. The
   * classes of a plugin already unloaded keep working for what still holds them (they are all
   * loaded up front), so requests in flight on a replaced or removed provider finish.
   */
  public void onChange(Function<PluginChange, Future<Void>> listener) {
    listeners.add(listener);
  }

  /** Looks at the plugins folder every {@code intervalMillis} for jars dropped in, replaced or removed. */
  public void watch(Vertx vertx, long intervalMillis) {
    this.vertx = vertx;
    watchTimer = vertx.setPeriodic(intervalMillis, id -> rescan());
  }

  /** Loads new jars and unloads removed ones now; a scan already running makes this a no-op. */
  public Future<Void> rescan() {
    if (vertx == null || !scanning.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(this::changes)
        .compose(this::apply)
        .onFailure(e -> LOG.error("Rescanning the plugins folder {} failed", folder.toAbsolutePath(), e))
        .eventually(() -> {
          scanning.set(false);
          return Future.succeededFuture();
        });
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
        .put("failed", failures);
  }

  /** Stops looking at the plugins folder. */
  public void unwatch() {
    if (watchTimer >= 0) {
      vertx.cancelTimer(watchTimer);
      watchTimer = -1;
    }
  }

  public void stop() {
    unwatch();
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
    jars.forEach(this::tryJar);
    LOG.info("Plugins from {}: {} loaded, {} failed; providers: {}; fault strategies: {}",
        folder.toAbsolutePath(), loaded.size(), failed.size(), providerIds(), new TreeSet<>(faultStrategies.keySet()));
  }

  /** What changed in the folder since the last look: plugins whose jar went or changed, and jars to try. */
  private Changes changes() {
    Map<String, Stamp> present = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(folder)) {
      files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted()
          .forEach(jar -> Stamp.of(jar).ifPresent(stamp -> present.put(jar.getFileName().toString(), stamp)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the plugins folder " + folder.toAbsolutePath(), e);
    }
    List<LoadedPlugin> gone = loaded.stream()
        .filter(p -> !Objects.equals(tried.get(p.file()), present.get(p.file())))
        .toList();
    if (!gone.isEmpty()) {
      // The plugin a duplicate was refused for may be the one going: the duplicate gets its turn.
      refusedAsDuplicate.forEach(tried::remove);
      refusedAsDuplicate.clear();
    }
    List<Path> fresh = new ArrayList<>();
    present.forEach((file, stamp) -> {
      if (!stamp.equals(tried.get(file))) {
        fresh.add(folder.resolve(file));
      }
    });
    failed.removeIf(f -> !Objects.equals(tried.get(f.file()), present.get(f.file())));
    refusedAsDuplicate.retainAll(present.keySet());
    tried.keySet().retainAll(present.keySet());
    return new Changes(gone, fresh, present.keySet());
  }

  /**
   * Unloads the plugins that went and loads the jars that came (a replaced jar is both; PF4J takes
   * one plugin id once, so the old one goes first), then tells the listeners the outcome: which
   * providers are new, which have a new implementation, which are gone and why.
   */
  private Future<Void> apply(Changes changes) {
    if (changes.gone().isEmpty() && changes.fresh().isEmpty()) {
      return Future.succeededFuture();
    }
    Set<String> strategyIds = new LinkedHashSet<>();
    for (LoadedPlugin plugin : changes.gone()) {
      LOG.info("Plugin jar {} was removed or replaced: unloading plugin {}", plugin.file(), plugin.id());
      plugin.faultStrategyIds().forEach(faultStrategies::remove);
      strategyIds.addAll(plugin.faultStrategyIds());
      plugin.providerIds().forEach(id -> Optional.ofNullable(providers.get(id)).ifPresent(p -> leaving.put(id, p)));
      loaded.remove(plugin);
    }
    int before = loaded.size();
    return vertx.executeBlocking(() -> {
      changes.gone().forEach(plugin -> unloadQuietly(plugin.id()));
      changes.fresh().forEach(this::tryJar);
      return List.copyOf(loaded.subList(before, loaded.size()));
    }).map(added -> {
      Set<String> addedProviders = new LinkedHashSet<>();
      added.forEach(p -> {
        LOG.info("Plugin jar {} loaded: plugin {} ({})", p.file(), p.id(), p.extensions());
        addedProviders.addAll(p.providerIds());
        strategyIds.addAll(p.faultStrategyIds());
      });
      Set<String> replaced = new LinkedHashSet<>();
      Map<String, String> removed = new LinkedHashMap<>();
      leaving.forEach((id, old) -> {
        if (providers.get(id) != old) {
          replaced.add(id);
        } else {
          providers.remove(id);
          removed.put(id, removalReason(id, changes));
        }
      });
      addedProviders.removeAll(replaced);
      leaving.clear();
      return new PluginChange(addedProviders, replaced, removed, strategyIds);
    }).recover(e -> {
      // Whatever failed, no provider stays half-gone: the ones not reloaded are removed.
      leaving.keySet().forEach(id -> providers.remove(id, leaving.get(id)));
      leaving.clear();
      return Future.failedFuture(e);
    }).compose(this::tell);
  }

  /** Why a provider went: its jar was taken out, or its new jar did not load. */
  private String removalReason(String providerId, Changes changes) {
    String file = changes.gone().stream().filter(p -> p.providerIds().contains(providerId))
        .map(LoadedPlugin::file).findFirst().orElse(null);
    if (file != null && changes.present().contains(file)) {
      return "provider plugin '" + providerId + "' was replaced by " + file
          + ", which did not load (see GET /api/plugins)";
    }
    return "provider plugin '" + providerId + "' was removed";
  }

  /** Every listener, in turn; one that fails is logged and the others still run. */
  private Future<Void> tell(PluginChange change) {
    Future<Void> chain = Future.succeededFuture();
    for (Function<PluginChange, Future<Void>> listener : listeners) {
      chain = chain.compose(v -> {
        try {
          return listener.apply(change);
        } catch (RuntimeException e) {
          return Future.failedFuture(e);
        }
      }).recover(e -> {
        LOG.error("A plugin-change listener failed on {}", change, e);
        return Future.succeededFuture();
      });
    }
    return chain;
  }

  private void tryJar(Path jar) {
    Stamp.of(jar).ifPresent(stamp -> tried.put(jar.getFileName().toString(), stamp));
    load(jar);
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
      Optional<String> taken = manager.loadedIdOf(jar);
      if (taken.isPresent()) {
        String holder = loaded.stream().filter(p -> p.id().equals(taken.get())).map(LoadedPlugin::file)
            .findFirst().orElse("another jar");
        throw PluginFailure.duplicate("plugin id '" + taken.get() + "' is already loaded from " + holder);
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
        throw new PluginFailure("did not start (" + state + ")" + (cause == null ? "" : ": " + describe(cause)));
      }
      List<String> extensions = registerExtensions(plugin);
      preload(jar, plugin.getPluginClassLoader());
      loaded.add(new LoadedPlugin(plugin, file, extensions));
    } catch (Throwable e) {
      String reason = describe(e);
      if (e instanceof PluginFailure failure && failure.duplicate) {
        refusedAsDuplicate.add(file);
      }
      LOG.error("Skipped plugin jar {}: {}", file, reason);
      failed.add(new FailedPlugin(file, reason));
      unloadQuietly(pluginId);
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
      throw new PluginFailure("did not start: " + describe(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PluginFailure("did not start: interrupted while waiting for it");
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

  /** Instantiates every extension the jar's index names; all of them, or the plugin fails. */
  private List<String> registerExtensions(PluginWrapper plugin) {
    Set<String> names = manager.getExtensionClassNames(plugin.getPluginId());
    if (names.isEmpty()) {
      throw new PluginFailure("no extensions found (is META-INF/extensions.idx in the jar?)");
    }
    Map<String, Provider> found = new LinkedHashMap<>();
    Map<String, FaultStrategy> foundStrategies = new LinkedHashMap<>();
    List<String> described = new ArrayList<>();
    for (String name : names) {
      Object extension = instantiate(plugin, name);
      if (extension instanceof Provider provider) {
        if ((providers.containsKey(provider.id()) && !leaving.containsKey(provider.id()))
            || found.containsKey(provider.id())) {
          throw PluginFailure.duplicate("provider id '" + provider.id() + "' is already taken by another plugin");
        }
        found.put(provider.id(), provider);
        described.add(LoadedPlugin.PROVIDER + provider.id());
      } else if (extension instanceof FaultStrategy strategy) {
        if (faultStrategies.containsKey(strategy.id()) || foundStrategies.containsKey(strategy.id())) {
          throw PluginFailure.duplicate("fault strategy id '" + strategy.id()
              + "' is already taken by another plugin");
        }
        foundStrategies.put(strategy.id(), strategy);
        described.add(LoadedPlugin.FAULT + strategy.id());
      } else {
        throw new PluginFailure("extension " + name + " implements no Faultline extension point");
      }
    }
    providers.putAll(found);
    faultStrategies.putAll(foundStrategies);
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

  /** Loaded plugins whose jar went or changed, jars to try, and every jar now in the folder. */
  private record Changes(List<LoadedPlugin> gone, List<Path> fresh, Set<String> present) {
  }

  /** A jar's size and modification time: when either moves, the jar is new content. */
  private record Stamp(long size, long modifiedMillis) {
    static Optional<Stamp> of(Path jar) {
      try {
        return Optional.of(new Stamp(Files.size(jar), Files.getLastModifiedTime(jar).toMillis()));
      } catch (IOException e) {
        return Optional.empty();
      }
    }
  }

  private static final class PluginFailure extends RuntimeException {
    /** Refused only because a loaded plugin has its id: the jar may take over once that one goes. */
    final boolean duplicate;

    PluginFailure(String message) {
      this(false, message);
    }

    private PluginFailure(boolean duplicate, String message) {
      super(message);
      this.duplicate = duplicate;
    }

    static PluginFailure duplicate(String message) {
      return new PluginFailure(true, message);
    }
  }
}
