package dev.faultline.faults;

import dev.faultline.api.ApiRoutes;
import dev.faultline.feature.Feature;
import dev.faultline.plugins.PluginHost;
import dev.faultline.proxy.ProxyBlock;
import dev.faultline.proxy.ProxyDefinition;
import dev.faultline.proxy.control.ProxyManager;
import dev.faultline.proxy.request.Interceptor;
import dev.faultline.proxy.request.InterceptorFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Failure simulation: the {@code faults} and {@code fault_options} blocks, the faults step
 * (request phase, first, so a faulted request reaches neither cache nor upstream), the
 * upstream-timeout step (response phase, around the provider call alone), the fault routes, and
 * the reaction to fault plugins coming and going.
 */
public final class FaultsFeature implements Feature {

  private final Vertx vertx;
  private final Clock clock;
  private final FaultCatalog catalog;
  /** Each proxy's faults, kept across interceptor rebuilds so their state (limiters, counters) lives on. */
  private final Map<String, ProxyFaults> byProxy = new ConcurrentHashMap<>();
  /**
   * How many times each proxy's faults were set through {@link #setAfresh}: faults built under an
   * older count are built anew, state and all, even from the same settings.
   */
  private final Map<String, Long> generations = new ConcurrentHashMap<>();

  public FaultsFeature(Vertx vertx, PluginHost plugins) {
    this(vertx, plugins, Clock.systemUTC());
  }

  /** @param clock the time faults and schedules read */
  public FaultsFeature(Vertx vertx, PluginHost plugins, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.catalog = new FaultCatalog(plugins);
  }

  public FaultCatalog catalog() {
    return catalog;
  }

  @Override
  public List<ProxyBlock> blocks() {
    return List.of(new FaultsBlock(catalog, clock), new FaultOptions.Block());
  }

  @Override
  public List<InterceptorFactory> requestSteps() {
    return List.of(faults());
  }

  @Override
  public List<InterceptorFactory> responseSteps() {
    return List.of(upstreamTimeout());
  }

  @Override
  public List<ApiRoutes> routes(ProxyManager proxies) {
    return List.of(new FaultRoutes(proxies, this));
  }

  @Override
  public Future<Void> pluginsChanged(PluginHost.PluginChange change, ProxyManager proxies) {
    return strategiesChanged(change.faultStrategies(), proxies);
  }

  /** The faults step: first in the pipeline, so a faulted request reaches neither cache nor upstream. */
  InterceptorFactory faults() {
    return (proxy, provider) -> {
      ProxyFaults faults = faultsOf(proxy);
      return faults.isEmpty() ? Optional.empty() : Optional.<Interceptor>of(new FaultInterceptor(faults, vertx));
    };
  }

  /** The upstream-timeout step: last in the pipeline, around the provider call alone. */
  InterceptorFactory upstreamTimeout() {
    return (proxy, provider) -> {
      ProxyFaults faults = faultsOf(proxy);
      return faults.mayTimeOut() ? Optional.<Interceptor>of(new UpstreamTimeoutInterceptor(faults, vertx))
          : Optional.empty();
    };
  }

  /**
   * Fault strategies were loaded or unloaded: proxies whose faults name one of them are rebuilt,
   * so they start using a new one and stop using (and holding) a removed one.
   */
  Future<Void> strategiesChanged(Set<String> strategies, ProxyManager proxies) {
    if (strategies.isEmpty()) {
      return Future.succeededFuture();
    }
    byProxy.values().removeIf(faults -> faults.uses(strategies));
    return proxies.eachRunning(proxy -> names(proxy, strategies), id -> proxies.update(id, new JsonObject()));
  }

  /**
   * Runs {@code update}, which sets the faults of proxy {@code proxyId}, so that they start afresh
   * (a rate limiter's buckets full, {@code next_requests} counted from 0) even when the list is the
   * same as before: whoever sets faults means these faults, from now. Any other change to the proxy
   * keeps its faults' state. A failed update leaves the count as it was.
   */
  public Future<JsonObject> setAfresh(String proxyId, Supplier<Future<JsonObject>> update) {
    long generation = generations.merge(proxyId, 1L, Long::sum);
    return update.get().onFailure(e -> generations.computeIfPresent(proxyId,
        (id, now) -> now == generation ? (now == 1 ? null : now - 1) : now));
  }

  private ProxyFaults faultsOf(ProxyDefinition proxy) {
    long generation = generations.getOrDefault(proxy.id(), 0L);
    return byProxy.compute(proxy.id(), (id, built) -> built != null && built.builtFrom(proxy, generation) ? built
        : new ProxyFaults(proxy, catalog, vertx, clock, generation));
  }

  private static boolean names(ProxyDefinition proxy, Set<String> strategies) {
    Object faults = proxy.block(FaultEntries.FIELD);
    return faults instanceof JsonArray entries && entries.stream()
        .anyMatch(e -> e instanceof JsonObject entry && strategies.contains(entry.getString("strategy")));
  }
}
