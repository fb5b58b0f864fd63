package dev.faultline.logs;

import dev.faultline.api.ApiRoutes;
import dev.faultline.api.HealthSection;
import dev.faultline.feature.Feature;
import dev.faultline.proxy.ProxyBlock;
import dev.faultline.proxy.control.ProxyManager;
import dev.faultline.proxy.request.ExchangeListener;
import dev.faultline.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Request logs: each proxy's {@code logging} block, the listener that turns every finished
 * exchange into a log entry (on the {@link LogFeed} and on {@value LogListener#ADDRESS}), the
 * writer that stores them (up before any proxy serves), the logs API and the writer's part of
 * {@code /healthz}.
 */
public final class LogsFeature implements Feature {

  /** How long one request is held at most while the log writer catches up. */
  private static final long PRESSURE_MAX_WAIT_MS = 10_000;

  private final Vertx vertx;
  private final Database database;
  private final Settings settings;
  private final Supplier<List<String>> faultStrategies;
  private final LogFeed feed = new LogFeed();
  private final LogListener listener;
  private final LogWriterVerticle writer;

  /**
   * @param queueSize      log entries waiting to be written, at most, before {@code backpressure} applies
   * @param backpressure   true: hold new requests while the queue is full; false: drop and count entries
   * @param maxLagMillis   {@code /healthz} degrades while the oldest waiting entry is older than this
   * @param retentionDays  rows older than this are pruned; 0 keeps them whatever their age
   * @param retentionRows  at most this many rows are kept; 0 means no limit
   * @param pricesFile     the user's price table over the built-in one, or {@code null}
   */
  public record Settings(int queueSize, boolean backpressure, long maxLagMillis, int retentionDays,
                         long retentionRows, Path pricesFile) {
  }

  /** @param faultStrategies the fault strategy ids a {@code fault=} filter may name */
  public LogsFeature(Vertx vertx, Database database, Settings settings, Supplier<List<String>> faultStrategies) {
    this.vertx = vertx;
    this.database = database;
    this.settings = settings;
    this.faultStrategies = faultStrategies;
    LogPressure pressure = settings.backpressure() ? new LogPressure(vertx, PRESSURE_MAX_WAIT_MS) : null;
    this.listener = new LogListener(vertx, feed, pressure);
    this.writer = new LogWriterVerticle(feed, database.dedicatedDataSource(), settings.queueSize(), settings.retentionDays(),
        settings.retentionRows(), pressure, settings.maxLagMillis());
  }

  /** Every log entry of this node, as it is made: the metrics count them. */
  public LogFeed feed() {
    return feed;
  }

  /** What the writer wrote, dropped and failed: the metrics count it too. */
  public LogStats stats() {
    return writer.stats();
  }

  @Override
  public List<ProxyBlock> blocks() {
    return List.of(new LoggingBlock());
  }

  @Override
  public Optional<ExchangeListener> listener() {
    return Optional.of(listener);
  }

  @Override
  public Future<Void> start(Deployer deployer) {
    return listener.loadPrices(settings.pricesFile()).compose(v -> deployer.deploy(writer)).mapEmpty();
  }

  @Override
  public List<ApiRoutes> routes(ProxyManager proxies) {
    return List.of(new LogRoutes(vertx, proxies, new LogStore(database), faultStrategies));
  }

  @Override
  public List<HealthSection> health() {
    LogStats stats = writer.stats();
    return List.of(HealthSection.of("logs", stats::toJson, stats::healthy));
  }

  @Override
  public List<String> outboundAddresses() {
    return List.of(LogListener.ADDRESS);
  }
}
