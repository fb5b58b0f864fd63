package dev.faultline.metrics;

import dev.faultline.access.OwnerAddress;
import dev.faultline.logs.LogEntry;
import dev.faultline.logs.LogFeed;
import dev.faultline.logs.LogListener;
import dev.faultline.logs.LogStats;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the rolling metrics from the log entries (this node's from the {@link LogFeed}; in a
 * cluster, every node's from {@value LogListener#ADDRESS}), publishes them
 * on {@value #ADDRESS} every second (and each owner's proxies' on {@code faultline.metrics.user.<ownerId>},
 * whose owner the entries' header names), answers the admin API's questions, and saves its windows
 * every few seconds and at stop so that a restart does not zero them.
 */
public final class MetricsVerticle extends VerticleBase {

  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  /** Where the rolling aggregates are published every second. */
  public static final String ADDRESS = "faultline.metrics";
  /** Local request/reply: one window of one scope ({@code {"proxy_id", "window"}}). */
  private static final String SNAPSHOT = "faultline.internal.metrics.snapshot";
  private static final long PUBLISH_EVERY_MS = 1_000;
  private static final long SAVE_EVERY_MS = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(MetricsVerticle.class);

  private final LogFeed feed;
  private final MetricsStore store;
  private final LogStats logStats;
  private final Clock clock;
  private final FaultlineMeters meters;
  private final Metrics metrics = new Metrics();
  private LogFeed.Subscription subscription;

  /** Without Prometheus' series (counted in a registry nobody reads). */
  public MetricsVerticle(LogFeed feed, MetricsStore store, LogStats logStats, Clock clock) {
    this(feed, store, logStats, clock, new FaultlineMeters(new SimpleMeterRegistry(), logStats));
  }

  /**
   * @param feed   this node's log entries
   * @param clock  the time windows are measured by; tests pass one they control
   * @param meters where each entry is counted for {@code /metrics} too
   */
  MetricsVerticle(LogFeed feed, MetricsStore store, LogStats logStats, Clock clock, FaultlineMeters meters) {
    this.feed = feed;
    this.store = store;
    this.logStats = logStats;
    this.clock = clock;
    this.meters = meters;
  }

  /** One window of one proxy ({@code null}: all proxies), asked of the running metrics verticle. */
  public static Future<JsonObject> snapshot(Vertx vertx, String proxyId, Window window) {
    return vertx.eventBus().<JsonObject>request(SNAPSHOT, new JsonObject().put("proxy_id", proxyId)
        .put("window", window.label())).map(reply -> reply.body());
  }

  /** One window of these proxies together (a person's own), asked of the running metrics verticle. */
  public static Future<JsonObject> snapshot(Vertx vertx, Collection<String> proxyIds, Window window) {
    return vertx.eventBus().<JsonObject>request(SNAPSHOT, new JsonObject().put("proxy_ids", new JsonArray(
        List.copyOf(proxyIds))).put("window", window.label())).map(reply -> reply.body());
  }

  @Override
  public Future<?> start() {
    return store.load()
        .onSuccess(saved -> saved.forEach((scope, data) -> metrics.restore(scope, data, clock.millis())))
        .onFailure(e -> LOG.warn("Could not restore the saved metrics; the windows start empty: {}", e.getMessage()))
        .otherwiseEmpty()
        .compose(v -> {
          boolean clustered = vertx.isClustered();
          // Prometheus counts this node's entries alone: each node is scraped, its series carry its node label.
          subscription = feed.subscribe(context, entries -> record(entries, !clustered));
          MessageConsumer<JsonObject> everyNode = clustered ? windowsOfEveryNode() : null;
          vertx.eventBus().<JsonObject>localConsumer(SNAPSHOT, message -> message.reply(snapshot(message.body())));
          vertx.setPeriodic(PUBLISH_EVERY_MS, id -> publish());
          vertx.setPeriodic(SAVE_EVERY_MS, id -> save());
          return everyNode == null ? Future.succeededFuture() : everyNode.completion();
        });
  }

  /** This node's entries: Prometheus' series, and the windows too unless they come from the bus. */
  private void record(List<LogEntry> entries, boolean windows) {
    long now = clock.millis();
    for (LogEntry entry : entries) {
      Sample sample = Sample.of(entry);
      if (windows) {
        metrics.record(sample, entry.ownerId(), now);
      }
      meters.record(sample, entry.proxyName());
    }
  }

  /** In a cluster the windows take every node's entries, this one's too: the rates and percentiles are the cluster's. */
  private MessageConsumer<JsonObject> windowsOfEveryNode() {
    return vertx.eventBus().consumer(LogListener.ADDRESS, message -> metrics.record(
        Sample.of(message.body()), message.headers().get(LogListener.OWNER_HEADER), clock.millis()));
  }

  @Override
  public Future<?> stop() {
    if (subscription != null) {
      subscription.cancel();
    }
    return save().otherwiseEmpty();
  }

  private JsonObject snapshot(JsonObject question) {
    Window window = Window.parse(question.getString("window")).orElseThrow();
    JsonArray ids = question.getJsonArray("proxy_ids");
    return ids == null ? metrics.snapshot(question.getString("proxy_id"), window, clock.millis())
        : metrics.snapshotOf(ids.stream().map(String.class::cast).toList(), window, clock.millis());
  }

  /**
   * On this node's bus alone (every node's windows already hold the whole cluster's traffic, so
   * a dashboard gets one summary a second, not one per node). Everything to those who see all;
   * each owner's proxies to that owner (the log writer's counts are not theirs).
   */
  private void publish() {
    long now = clock.millis();
    vertx.eventBus().publish(ADDRESS, metrics.published(now).put("logs", logStats.toJson()), LOCAL);
    metrics.publishedByOwner(now).forEach((owner, body) ->
        vertx.eventBus().publish(OwnerAddress.of(ADDRESS, owner), body, LOCAL));
  }

  private Future<Void> save() {
    long now = clock.millis();
    Map<String, JsonObject> scopes = metrics.save(now);
    return store.save(scopes, now)
        .onFailure(e -> LOG.warn("Could not save the metrics: {}", e.getMessage()));
  }
}
