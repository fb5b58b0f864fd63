package dev.faultline.plugins;

import dev.faultline.plugin.api.FaultStrategy;
import dev.faultline.plugin.api.Provider;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The loaded extensions by id: providers and fault strategies. An id belongs to one plugin; while
 * a plugin's jar is being replaced its providers are "leaving": still in use, their ids free for
 * the jar that replaces them.
 */
final class ExtensionRegistry {

  private final Map<String, Provider> providers = new ConcurrentHashMap<>();
  private final Map<String, FaultStrategy> faultStrategies = new ConcurrentHashMap<>();
  /** The providers of the plugins being unloaded in the current scan. */
  private final Map<String, Provider> leaving = new ConcurrentHashMap<>();

  Optional<Provider> provider(String id) {
    return Optional.ofNullable(providers.get(id));
  }

  Set<String> providerIds() {
    return new TreeSet<>(providers.keySet());
  }

  Optional<FaultStrategy> faultStrategy(String id) {
    return Optional.ofNullable(faultStrategies.get(id));
  }

  Collection<FaultStrategy> faultStrategies() {
    return List.copyOf(faultStrategies.values());
  }

  Set<String> faultStrategyIds() {
    return new TreeSet<>(faultStrategies.keySet());
  }

  /**
   * Adds one plugin's extensions, all or none.
   *
   * @throws PluginFailure a duplicate, when another plugin has one of their ids
   */
  void add(Map<String, Provider> newProviders, Map<String, FaultStrategy> newStrategies) {
    newProviders.keySet().forEach(id -> {
      if (providers.containsKey(id) && !leaving.containsKey(id)) {
        throw PluginFailure.duplicate("provider id '" + id + "' is already taken by another plugin");
      }
    });
    newStrategies.keySet().forEach(id -> {
      if (faultStrategies.containsKey(id)) {
        throw PluginFailure.duplicate("fault strategy id '" + id + "' is already taken by another plugin");
      }
    });
    providers.putAll(newProviders);
    faultStrategies.putAll(newStrategies);
  }

  /** A plugin is being unloaded: its fault strategies go now, its providers once the scan settles. */
  void leave(PluginHost.LoadedPlugin plugin) {
    plugin.faultStrategyIds().forEach(faultStrategies::remove);
    plugin.providerIds().forEach(id -> provider(id).ifPresent(p -> leaving.put(id, p)));
  }

  /**
   * The scan is over: a leaving provider whose id a new jar took was replaced; any other is
   * removed now.
   *
   * @return the ids replaced, and the ids removed
   */
  Settled settle() {
    Set<String> replaced = new LinkedHashSet<>();
    Set<String> removed = new LinkedHashSet<>();
    leaving.forEach((id, old) -> {
      if (providers.get(id) != old) {
        replaced.add(id);
      } else {
        providers.remove(id);
        removed.add(id);
      }
    });
    leaving.clear();
    return new Settled(replaced, removed);
  }

  /** The scan failed: no provider stays half-gone, the ones not reloaded are removed. */
  void abandonLeaving() {
    leaving.forEach(providers::remove);
    leaving.clear();
  }

  record Settled(Set<String> replaced, Set<String> removed) {
  }
}
