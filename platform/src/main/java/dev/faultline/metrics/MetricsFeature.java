package dev.faultline.metrics;

import dev.faultline.api.ApiRoutes;
import dev.faultline.feature.Feature;
import dev.faultline.logs.LogFeed;
import dev.faultline.logs.LogStats;
import dev.faultline.proxy.control.ProxyManager;
import dev.faultline.store.Database;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;

/**
 * Rolling metrics: the aggregator of the log entries (published every second on
 * {@value MetricsVerticle#ADDRESS}), the metrics API and Prometheus' {@code /metrics}.
 */
public final class MetricsFeature implements Feature {

  private final Vertx vertx;
  private final Database database;
  private final LogFeed feed;
  private final LogStats logStats;
  private final PrometheusMeterRegistry registry;

  /**
   * @param feed     this node's log entries, which the metrics count
   * @param logStats the log writer's counts, which Prometheus shows too
   * @param nodeId   Prometheus' {@code node} label when this Vert.x has no registry of its own
   *                 ({@code null}: the host name)
   */
  public MetricsFeature(Vertx vertx, Database database, LogFeed feed, LogStats logStats, String nodeId) {
    this.vertx = vertx;
    this.feed = feed;
    this.database = database;
    this.logStats = logStats;
    this.registry = PrometheusMetrics.of(vertx, nodeId);
  }

  @Override
  public Future<Void> start(Deployer deployer) {
    return deployer.deploy(new MetricsVerticle(feed, new MetricsStore(database), logStats, Clock.systemUTC(),
        new FaultlineMeters(registry, logStats))).mapEmpty();
  }

  @Override
  public List<ApiRoutes> routes(ProxyManager proxies) {
    return List.of(new MetricsRoutes(vertx, proxies, registry), new SeriesRoutes(proxies, new SeriesStore(database)));
  }

  @Override
  public List<String> outboundAddresses() {
    return List.of(MetricsVerticle.ADDRESS);
  }
}
