package dev.faultline.plugins;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plugins folder, looked at now and then: a jar dropped in is loaded, a jar removed is
 * unloaded, a jar replaced is unloaded then loaded again, and the listeners hear which providers
 * came, were replaced or went. A jar refused because another one had its id is tried again once
 * a plugin goes, so it can take over.
 */
final class FolderWatcher {

  private static final Logger LOG = LoggerFactory.getLogger(FolderWatcher.class);

  private final Path folder;
  private final JarLoader loader;
  private final ExtensionRegistry registry;
  private final List<PluginHost.LoadedPlugin> loaded;
  private final List<PluginHost.FailedPlugin> failed;
  /** Each jar as it was when last tried, loaded or not: a jar is tried again only once it changes. */
  private final Map<String, Stamp> tried = new ConcurrentHashMap<>();
  /** Jars refused because a loaded plugin had their plugin or provider id: tried again when one goes. */
  private final Set<String> refusedAsDuplicate = ConcurrentHashMap.newKeySet();
  private final List<Function<PluginHost.PluginChange, Future<Void>>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean scanning = new AtomicBoolean();
  private volatile Vertx vertx;
  private volatile long watchTimer = -1;

  /** @param loaded what is loaded and @param failed what was skipped, kept here and shown by the host */
  FolderWatcher(Path folder, JarLoader loader, ExtensionRegistry registry, List<PluginHost.LoadedPlugin> loaded,
                List<PluginHost.FailedPlugin> failed) {
    this.folder = folder;
    this.loader = loader;
    this.registry = registry;
    this.loaded = loaded;
    this.failed = failed;
  }

  /** Loads every jar of the folder (blocking; at boot), making the folder when it is missing. */
  void loadAll() {
    createFolderIfMissing();
    jarsInFolder().keySet().forEach(file -> tryJar(folder.resolve(file)));
    LOG.info("Plugins from {}: {} loaded, {} failed; providers: {}; fault strategies: {}",
        folder.toAbsolutePath(), loaded.size(), failed.size(), registry.providerIds(), registry.faultStrategyIds());
  }

  void onChange(Function<PluginHost.PluginChange, Future<Void>> listener) {
    listeners.add(listener);
  }

  void watch(Vertx vertx, long intervalMillis) {
    this.vertx = vertx;
    watchTimer = vertx.setPeriodic(intervalMillis, id -> rescan());
  }

  void unwatch() {
    if (watchTimer >= 0) {
      vertx.cancelTimer(watchTimer);
      watchTimer = -1;
    }
  }

  /** Loads new jars and unloads removed ones now; a scan already running makes this a no-op. */
  Future<Void> rescan() {
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

  /** The jars in the folder now, by file name in name order, with their stamps. */
  private Map<String, Stamp> jarsInFolder() {
    Map<String, Stamp> present = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(folder)) {
      files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted()
          .forEach(jar -> Stamp.of(jar).ifPresent(stamp -> present.put(jar.getFileName().toString(), stamp)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the plugins folder " + folder.toAbsolutePath(), e);
    }
    return present;
  }

  /** What changed in the folder since the last look: plugins whose jar went or changed, and jars to try. */
  private Changes changes() {
    Map<String, Stamp> present = jarsInFolder();
    List<PluginHost.LoadedPlugin> gone = loaded.stream()
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
    for (PluginHost.LoadedPlugin plugin : changes.gone()) {
      LOG.info("Plugin jar {} was removed or replaced: unloading plugin {}", plugin.file(), plugin.id());
      strategyIds.addAll(plugin.faultStrategyIds());
      registry.leave(plugin);
      loaded.remove(plugin);
    }
    int before = loaded.size();
    return vertx.executeBlocking(() -> {
      changes.gone().forEach(plugin -> loader.unload(plugin.id()));
      changes.fresh().forEach(this::tryJar);
      return List.copyOf(loaded.subList(before, loaded.size()));
    }).map(added -> {
      Set<String> addedProviders = new LinkedHashSet<>();
      added.forEach(p -> {
        LOG.info("Plugin jar {} loaded: plugin {} ({})", p.file(), p.id(), p.extensions());
        addedProviders.addAll(p.providerIds());
        strategyIds.addAll(p.faultStrategyIds());
      });
      ExtensionRegistry.Settled settled = registry.settle();
      Map<String, String> removed = new LinkedHashMap<>();
      settled.removed().forEach(id -> removed.put(id, removalReason(id, changes)));
      addedProviders.removeAll(settled.replaced());
      return new PluginHost.PluginChange(addedProviders, settled.replaced(), removed, strategyIds);
    }).recover(e -> {
      registry.abandonLeaving();
      return Future.failedFuture(e);
    }).compose(this::tell);
  }

  /** Why a provider went: its jar was taken out, or its new jar did not load. */
  private static String removalReason(String providerId, Changes changes) {
    String file = changes.gone().stream().filter(p -> p.providerIds().contains(providerId))
        .map(PluginHost.LoadedPlugin::file).findFirst().orElse(null);
    if (file != null && changes.present().contains(file)) {
      return "provider plugin '" + providerId + "' was replaced by " + file
          + ", which did not load (see GET /api/plugins)";
    }
    return "provider plugin '" + providerId + "' was removed";
  }

  /** Every listener, in turn; one that fails is logged and the others still run. */
  private Future<Void> tell(PluginHost.PluginChange change) {
    Future<Void> chain = Future.succeededFuture();
    for (Function<PluginHost.PluginChange, Future<Void>> listener : listeners) {
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
    String file = jar.getFileName().toString();
    Stamp.of(jar).ifPresent(stamp -> tried.put(file, stamp));
    JarLoader.Outcome outcome = loader.load(jar, pluginId -> loaded.stream()
        .filter(p -> p.id().equals(pluginId)).map(PluginHost.LoadedPlugin::file).findFirst());
    if (outcome.loaded() != null) {
      loaded.add(outcome.loaded());
    } else {
      failed.add(outcome.failed());
      if (outcome.duplicate()) {
        refusedAsDuplicate.add(file);
      }
    }
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

  /** Loaded plugins whose jar went or changed, jars to try, and every jar now in the folder. */
  private record Changes(List<PluginHost.LoadedPlugin> gone, List<Path> fresh, Set<String> present) {
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
}
