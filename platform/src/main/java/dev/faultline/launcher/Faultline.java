package dev.faultline.launcher;

import dev.faultline.api.AdminApiVerticle;
import dev.faultline.api.AllowedHosts;
import dev.faultline.api.ApiRoutes;
import dev.faultline.api.CacheRoutes;
import dev.faultline.api.DashboardRoutes;
import dev.faultline.api.EventBusBridges;
import dev.faultline.api.FaultRoutes;
import dev.faultline.api.LogRoutes;
import dev.faultline.api.MetricsRoutes;
import dev.faultline.cache.CacheSettings;
import dev.faultline.cache.ResponseCache;
import dev.faultline.callerlimit.CallerLimitSettings;
import dev.faultline.callerlimit.CallerLimits;
import dev.faultline.faults.FaultsFeature;
import dev.faultline.ipfilter.IpAccess;
import dev.faultline.ipfilter.IpFilter;
import dev.faultline.ipfilter.IpRule;
import dev.faultline.logs.LogListener;
import dev.faultline.logs.LogPressure;
import dev.faultline.logs.LogStore;
import dev.faultline.logs.LogWriterVerticle;
import dev.faultline.logs.LoggingBlock;
import dev.faultline.metrics.MetricsStore;
import dev.faultline.metrics.MetricsVerticle;
import dev.faultline.plugins.PluginHost;
import dev.faultline.proxy.InterceptorFactory;
import dev.faultline.proxy.ProxyBlock;
import dev.faultline.proxy.ProxyBlocks;
import dev.faultline.proxy.ProxyManager;
import dev.faultline.proxy.ProxyRuntime;
import dev.faultline.store.Database;
import dev.faultline.store.ProxyStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Faultline: database, plugins, proxies and admin API, started in that order on a
 * given Vert.x instance. The launcher and the tests both start it this way.
 */
public final class Faultline {

  private static final Logger LOG = LoggerFactory.getLogger(Faultline.class);

  /** How often the plugins folder is looked at for jars dropped in or removed. */
  private static final long PLUGIN_RESCAN_MS = 2_000;
  /** How long a request waits at most for a log writer that fell behind (then goes ahead). */
  private static final long LOG_PRESSURE_MAX_WAIT_MS = 10_000;
  /** At shutdown, past the grace: for the servers to close what the grace left open. */
  private static final long CLOSE_SLACK_MS = 1_000;
  /** At shutdown, after the servers: for the log and cache writers to flush, the database to close. */
  private static final long FLUSH_MARGIN_MS = 5_000;
  /**
   * The admin API's requests in flight at shutdown: short ones finish in it, while a live log
   * stream (an open dashboard), which never ends by itself, does not hold the exit for the whole grace.
   */
  private static final long ADMIN_GRACE_MS = 2_000;

  private final Vertx vertx;
  private final FaultlineConfig config;
  private final Database database;
  private final PluginHost plugins;
  private final ProxyManager proxies;
  private final AdminApiVerticle admin;
  private final int adminPort;
  private final List<String> deployments;

  private Faultline(Vertx vertx, FaultlineConfig config, Database database, PluginHost plugins, ProxyManager proxies,
                    AdminApiVerticle admin, List<String> deployments) {
    this.vertx = vertx;
    this.config = config;
    this.database = database;
    this.plugins = plugins;
    this.proxies = proxies;
    this.admin = admin;
    this.adminPort = admin.actualPort();
    this.deployments = deployments;
  }

  public static Future<Faultline> start(Vertx vertx, FaultlineConfig config) {
    // What this Faultline deployed besides its proxies, in start order (stopped in reverse).
    List<String> deployments = new CopyOnWriteArrayList<>();
    return Database.open(vertx, config.databaseFile())
        .compose(database -> PluginHost.start(vertx, config.pluginsDir())
            .compose(plugins -> {
              // Each feature adds its proxy settings block, its pipeline step (in pipeline order:
              // faults, cache, upstream timeout), its exchange listener and its admin routes here.
              List<ProxyBlock> blocks = new ArrayList<>();
              List<InterceptorFactory> interceptors = new ArrayList<>();
              List<ApiRoutes> routes = new ArrayList<>();

              // Failure simulation: its blocks, and its step FIRST (a faulted request reaches neither
              // the cache nor the upstream); its upstream-timeout step comes LAST, below.
              FaultsFeature faults = new FaultsFeature(vertx, plugins);
              blocks.addAll(faults.blocks());
              interceptors.add(faults.faults());
              // IP filtering: its block, and a check each proxy runs at accept, before the body is read.
              blocks.add(new IpAccess.Block());
              interceptors.add(IpFilter.factory(config.trustedProxies().stream().map(IpRule::parse).toList()));
              // Caller limit: its block, and a check at accept right after the IP filter, which names
              // the caller (a refused address takes nothing from anyone's limit).
              blocks.add(CallerLimitSettings.BLOCK);
              interceptors.add(new CallerLimits().interceptors());

              // Response cache: its block, and its step after the faults step and before any
              // upstream timeout (a hit never waits on a timeout; a faulted answer is never stored).
              ResponseCache cache = new ResponseCache(database);
              blocks.add(CacheSettings.BLOCK);
              interceptors.add(cache.interceptors());

              // Monitoring: every finished exchange becomes a log entry on the bus, which the log
              // writer stores and the metrics aggregate; both run before any proxy serves.
              // A writer that falls behind holds the proxies' new requests, unless told to drop entries.
              FaultlineConfig.Monitoring monitoring = config.monitoring();
              LogPressure pressure = monitoring.logOverflow() == FaultlineConfig.LogOverflow.BACKPRESSURE
                  ? new LogPressure(vertx, LOG_PRESSURE_MAX_WAIT_MS) : null;
              LogListener logs = new LogListener(vertx, pressure);
              LogStore logStore = new LogStore(database);
              LogWriterVerticle logWriter = new LogWriterVerticle(database.file(), monitoring.logQueueSize(),
                  monitoring.logRetentionDays(), monitoring.logRetentionRows(), pressure, monitoring.logMaxLagMillis());
              blocks.add(new LoggingBlock());
              routes.add(new LogRoutes(vertx, logStore, logWriter.stats(), faults.catalog()::ids));
              routes.add(new MetricsRoutes(vertx));
              routes.add(EventBusBridges.sockJs(vertx));
              Future<?> monitoringUp = logs.loadPrices(monitoring.pricesFile())
                  .compose(v -> vertx.deployVerticle(logWriter).onSuccess(deployments::add))
                  .compose(v -> vertx.deployVerticle(new MetricsVerticle(new MetricsStore(database), logWriter.stats(),
                      Clock.systemUTC())).onSuccess(deployments::add))
                  .compose(v -> monitoring.tcpBridgePort() == null ? Future.succeededFuture()
                      : vertx.deployVerticle(new EventBusBridges.TcpBridgeVerticle(config.host(),
                          monitoring.tcpBridgePort())).onSuccess(deployments::add));

              // Last: the upstream timeout, around the provider call alone.
              interceptors.add(faults.upstreamTimeout());

              ProxyBlocks proxyBlocks = proxyBlocks(blocks, config.proxyDefaults());
              ProxyRuntime runtime = new ProxyRuntime(config.host(), config.maxBodyBytes(), interceptors, logs,
                  config.timeouts());
              ProxyManager proxies = new ProxyManager(vertx, config, new ProxyStore(database, proxyBlocks), plugins,
                  proxyBlocks, runtime);
              routes.add(new CacheRoutes(cache, proxies));
              routes.add(new FaultRoutes(proxies, faults));
              // The dashboard last: every /api route above wins over its page fallback.
              routes.add(new DashboardRoutes());
              // Providers first: a proxy whose provider went is down before its faults are rebuilt.
              plugins.onChange(change -> proxies.providersChanged(change)
                  .compose(v -> faults.strategiesChanged(change.faultStrategies(), proxies)));
              AdminApiVerticle admin = new AdminApiVerticle(config.host(), config.adminPort(), database, plugins, proxies,
                  routes, new AllowedHosts(config.host(), config.adminAllowedHosts()), config.timeouts());
              // The cache (its key secret, its writer) is up before any proxy can use it.
              return monitoringUp
                  .compose(m -> vertx.deployVerticle(cache).onSuccess(deployments::add))
                  .compose(c -> vertx.deployVerticle(admin).onSuccess(deployments::add))
                  .map(id -> new Faultline(vertx, config, database, plugins, proxies, admin, deployments));
            }))
        .compose(faultline -> faultline.restoreProxies().map(faultline))
        .onSuccess(faultline -> faultline.plugins.watch(vertx, PLUGIN_RESCAN_MS));
  }

  /** The blocks, with the configured ones every new proxy starts with checked now that all are known. */
  private static ProxyBlocks proxyBlocks(List<ProxyBlock> blocks, JsonObject newProxyDefaults) {
    try {
      return new ProxyBlocks(blocks, newProxyDefaults);
    } catch (IllegalArgumentException e) {
      throw new ConfigLoader.ConfigException(e.getMessage());
    }
  }

  private Future<Void> restoreProxies() {
    proxies.adminPort(adminPort);
    return proxies.restore()
        .compose(v -> config.demoPort() == null ? Future.succeededFuture() : proxies.ensureDemo(config.demoPort()));
  }

  public int adminPort() {
    return adminPort;
  }

  public FaultlineConfig config() {
    return config;
  }

  public Database database() {
    return database;
  }

  public PluginHost plugins() {
    return plugins;
  }

  public ProxyManager proxies() {
    return proxies;
  }

  /**
   * Stops the proxies and the admin API, then what serves them in reverse start order (the log
   * writer last so it drains), then releases the database and the plugins. Only what this
   * Faultline deployed: another one on the same Vert.x is left alone.
   *
   * <p>Both servers stop accepting at once; the proxies' requests in flight get the shutdown
   * grace to finish. Proxies first, and to the end: a proxy's stop waits until every response in
   * flight has ended (or the grace is over), and a response ends only after its answer was handed
   * to the cache and its log entry sent, so the cache and the log writer, stopped after, write
   * them. Undeployed all at once, the cache could close before an answer its caller already had
   * was handed to it: with a {@code content-length} the caller has the answer at its last byte,
   * before the proxy sees the upstream's end, and a restart right after the request missed it.
   *
   * <p>Every step is bounded and the next runs whatever the previous did, so the whole completes
   * within {@link #stopBoundMillis()} whatever state anything is in (a request hanging forever,
   * a stuck database).
   */
  public Future<Void> stop() {
    long grace = config.timeouts().shutdownGraceMillis();
    long servedBy = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(grace + CLOSE_SLACK_MS);
    long doneBy = servedBy + TimeUnit.MILLISECONDS.toNanos(FLUSH_MARGIN_MS);
    plugins.unwatch();
    List<String> reversed = new ArrayList<>(deployments);
    Collections.reverse(reversed);
    Future<Void> chain = Future.join(
            within(proxies.shutdown(), servedBy, "stopping the proxies"),
            within(admin.shutdown(Math.min(grace, ADMIN_GRACE_MS)), servedBy, "stopping the admin API"))
        .transform(v -> Future.succeededFuture());
    for (String id : reversed) {
      // Each one in turn, whatever the previous did: the database closes only once all are down.
      chain = chain.transform(v -> within(vertx.undeploy(id), doneBy, "stopping " + id));
    }
    return chain
        .transform(v -> within(database.close(), doneBy, "closing the database"))
        .transform(v -> within(vertx.executeBlocking(() -> {
          plugins.stop();
          return null;
        }), doneBy, "stopping the plugins"))
        .transform(v -> Future.succeededFuture());
  }

  /** The longest {@link #stop()} takes: the shutdown grace and a few seconds to close and flush. */
  public long stopBoundMillis() {
    return config.timeouts().shutdownGraceMillis() + CLOSE_SLACK_MS + FLUSH_MARGIN_MS;
  }

  /** {@code step}, waited for until {@code deadline} (System.nanoTime) at most; a failure is logged, not passed on. */
  private static Future<Void> within(Future<?> step, long deadline, String what) {
    long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    return step.timeout(left, TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .recover(e -> {
          LOG.warn("Shutdown: {} did not finish: {}", what, e.getMessage());
          return Future.succeededFuture();
        });
  }
}
