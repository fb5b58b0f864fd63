package dev.faultline.faults;

import dev.faultline.plugin.api.FaultStrategy;
import dev.faultline.plugins.PluginHost;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Every fault strategy a proxy can name: the host's own, then those the loaded plugins add. */
public final class FaultCatalog {

  private static final List<FaultStrategy> HOST = List.of(new UpstreamTimeout());

  private final PluginHost plugins;

  public FaultCatalog(PluginHost plugins) {
    this.plugins = plugins;
  }

  public Optional<FaultStrategy> find(String id) {
    return HOST.stream().filter(s -> s.id().equals(id)).findFirst().or(() -> plugins.faultStrategy(id));
  }

  public List<FaultStrategy> all() {
    List<FaultStrategy> all = new ArrayList<>(HOST);
    plugins.faultStrategies().stream()
        .filter(s -> HOST.stream().noneMatch(h -> h.id().equals(s.id())))
        .sorted(Comparator.comparing(FaultStrategy::id))
        .forEach(all::add);
    return all;
  }

  /** {@code GET /api/faults/strategies}: each strategy with its parameters, for forms. */
  public JsonArray describe() {
    JsonArray strategies = new JsonArray();
    for (FaultStrategy strategy : all()) {
      JsonArray params = new JsonArray();
      strategy.params().forEach(p -> params.add(FaultParamCheck.toJson(p)));
      strategies.add(new JsonObject()
          .put("id", strategy.id())
          .put("description", strategy.description())
          .put("params", params));
    }
    return strategies;
  }

  /** The ids of every strategy a proxy can name now, in the order {@link #all()} lists them. */
  public List<String> ids() {
    return all().stream().map(FaultStrategy::id).toList();
  }

  String known() {
    return String.join(", ", ids());
  }
}
