package dev.faultline.launcher;

import dev.faultline.api.AdminApiVerticle;
import dev.faultline.api.AllowedHosts;
import dev.faultline.api.ApiRoutes;
import dev.faultline.api.DashboardRoutes;
import dev.faultline.api.EventBusBridges;
import dev.faultline.api.HealthSection;
import dev.faultline.auth.AuthFeature;
import dev.faultline.cluster.ClusterMembers;
import dev.faultline.cluster.ClusterNode;
import dev.faultline.cluster.ClusterSettings;
import dev.faultline.cache.CacheFeature;
import dev.faultline.callerlimit.CallerLimitFeature;
import dev.faultline.faults.FaultsFeature;
import dev.faultline.feature.Feature;
import dev.faultline.ipfilter.IpFilterFeature;
import dev.faultline.logs.LogsFeature;
import dev.faultline.metrics.MetricsFeature;
import dev.faultline.metrics.PrometheusMetrics;
import dev.faultline.plugins.PluginHost;
import dev.faultline.proxy.ProxyBlock;
import dev.faultline.proxy.ProxyBlocks;
import dev.faultline.proxy.control.ProxyManager;
import dev.faultline.proxy.control.ProxyStore;
import dev.faultline.proxy.request.ExchangeListener;
import dev.faultline.proxy.request.InterceptorFactory;
import dev.faultline.proxy.request.ProxyRuntime;
import dev.faultline.proxy.upstream.UpstreamPolicy;
import dev.faultline.store.Database;
import dev.faultline.telemetry.TelemetryFeature;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Faultline: database, plugins, the features, proxies and admin API, started in that
 * order on a given Vert.x instance. The launcher and the tests both start it this way. The
 * capabilities are a list of {@link Feature}s; this class knows their order and nothing of
 * what they do.
 */
public final class Faultline {

  private static final Logger LOG = LoggerFactory.getLogger(Faultline.class);

  /** How often the plugins folder is looked at for jars dropped in or removed. */
  private static final long PLUGIN_RESCAN_MS = 2_000;
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
  private final AuthFeature auth;
  private final int adminPort;
  private final List<String> deployments;

  private Faultline(Vertx vertx, FaultlineConfig config, Database database, PluginHost plugins, ProxyManager proxies,
                    AdminApiVerticle admin, AuthFeature auth, List<String> deployments) {
    this.vertx = vertx;
    this.config = config;
    this.database = database;
    this.plugins = plugins;
    this.proxies = proxies;
    this.admin = admin;
    this.auth = auth;
    this.adminPort = admin.actualPort();
    this.deployments = deployments;
  }

  public static Future<Faultline> start(Vertx vertx, FaultlineConfig config) {
    FaultlineConfig.Telemetry telemetry = config.telemetry();
    return start(vertx, config, telemetry.enabled()
        ? TelemetryFeature.otlp(telemetry.otlpEndpoint(), telemetry.serviceName()) : null);
  }

  /**
   * A Faultline that traces with {@code openTelemetry} (its owner's, kept open at stop: a test's
   * in-memory exporter, say) whatever the configuration says.
   */
  public static Future<Faultline> start(Vertx vertx, FaultlineConfig config, OpenTelemetry openTelemetry) {
    return start(vertx, config, TelemetryFeature.using(openTelemetry));
  }

  /** @param tracing the telemetry feature, or null when traces are off */
  private static Future<Faultline> start(Vertx vertx, FaultlineConfig config, TelemetryFeature tracing) {
    String refusal = clusterRefusal(vertx, config);
    if (refusal != null) {
      return Future.failedFuture(new ConfigLoader.ConfigException(refusal));
    }
    // On the caller's thread: the host name it may look up must not block an event loop later.
    String node = PrometheusMetrics.nodeName(config.monitoring().nodeId());
    // What this Faultline deployed besides its proxies, in start order (stopped in reverse).
    List<String> deployments = new CopyOnWriteArrayList<>();
    Feature.Deployer deployer = verticle -> vertx.deployVerticle(verticle).onSuccess(deployments::add);
    // The database and the plugins need nothing of each other: both open at once, each on a
    // worker (a restart's schema validation and plugin loading overlap).
    Future<Database> opening = Database.open(vertx, config.storeLocation());
    Future<PluginHost> loading = PluginHost.start(vertx, config.pluginsDir());
    return Future.join(opening, loading)
        .recover(failed -> closeOpened(vertx, opening, loading).transform(v -> Future.<CompositeFuture>failedFuture(failed)))
        .compose(opened -> {
          Database database = opening.result();
          PluginHost plugins = loading.result();
          AuthFeature auth = new AuthFeature(vertx, database, config.auth(), config.dataDir());
          List<Feature> features = features(vertx, config, database, plugins, auth, tracing, node);
          ProxyBlocks blocks = proxyBlocks(each(features, Feature::blocks), config.proxyDefaults());
          List<InterceptorFactory> steps = new ArrayList<>(each(features, Feature::requestSteps));
          steps.addAll(each(features, Feature::responseSteps));
          ProxyRuntime runtime = new ProxyRuntime(config.host(), config.maxBodyBytes(),
              each(features, Feature::acceptChecks), steps,
              ExchangeListener.all(each(features, f -> f.listener().stream().toList())), config.timeouts(),
              new UpstreamPolicy(vertx, config.privateUpstreams(), auth::isAdmin, UpstreamPolicy.Resolver.SYSTEM,
                  Duration.ofSeconds(5)));
          ProxyManager proxies = new ProxyManager(vertx, proxySettings(config), new ProxyStore(database, blocks),
              plugins, blocks, runtime);

          List<String> outbound = new ArrayList<>(each(features, Feature::outboundAddresses));
          outbound.add(ProxyManager.STATUS_ADDRESS);
          List<ApiRoutes> routes = new ArrayList<>(each(features, f -> f.routes(proxies)));
          List<HealthSection> health = each(features, Feature::health);
          AtomicReference<AdminApiVerticle> adminServer = new AtomicReference<>();
          ClusterMembers members = new ClusterMembers(vertx, () -> adminAddress(config, adminServer.get()),
              () -> database.ping().timeout(2, TimeUnit.SECONDS)
                  .map(v -> health.stream().allMatch(HealthSection::healthy)));
          routes.add(members);
          routes.add(EventBusBridges.sockJs(vertx, outbound));
          // The dashboard last: every /api route above wins over its page fallback.
          routes.add(new DashboardRoutes());
          AdminApiVerticle admin = new AdminApiVerticle(config.host(), config.adminPort(), database, plugins, proxies,
              routes, health, new AllowedHosts(config.host(), config.adminAllowedHosts()),
              config.timeouts());
          adminServer.set(admin);
          // Providers first: a proxy whose provider went is down before the features react.
          plugins.onChange(change -> proxies.providersChanged(change)
              .compose(v -> inTurn(features, feature -> feature.pluginsChanged(change, proxies))));

          // What the features run beside the proxies is up before any proxy serves.
          Integer bridgePort = config.monitoring().tcpBridgePort();
          return inTurn(features, feature -> feature.start(deployer))
              .compose(v -> members.start())
              .compose(v -> bridgePort == null ? Future.succeededFuture()
                  : deployer.deploy(new EventBusBridges.TcpBridgeVerticle(config.host(), bridgePort, outbound,
                      auth.credentials())).recover(e -> portTaken(e, "the TCP event-bus bridge", bridgePort,
                      "monitoring.tcp_bridge_port: set FAULTLINE_TCP_BRIDGE_PORT to another port, or to off")))
              .compose(v -> deployer.deploy(admin).recover(e -> portTaken(e, "the admin API", config.adminPort(),
                  "server.admin_port: set FAULTLINE_ADMIN_PORT or --admin-port to another port (0: any free one)")))
              .map(id -> new Faultline(vertx, config, database, plugins, proxies, admin, auth, deployments));
        })
        .compose(faultline -> faultline.followCluster().map(faultline))
        .compose(faultline -> faultline.restoreProxies().map(faultline))
        .onSuccess(faultline -> faultline.plugins.watch(vertx, PLUGIN_RESCAN_MS));
  }

  /** Closes whichever of the database and the plugins did open when the other failed. */
  private static Future<Void> closeOpened(Vertx vertx, Future<Database> opening, Future<PluginHost> loading) {
    Future<Void> database = opening.succeeded() ? opening.result().close() : Future.succeededFuture();
    Future<Void> plugins = loading.succeeded() ? vertx.executeBlocking(() -> {
      loading.result().stop();
      return null;
    }) : Future.succeededFuture();
    return Future.join(database, plugins).mapEmpty();
  }

  /**
   * Every capability, in the order a request meets their steps within each phase (see
   * {@link Feature}): failure simulation first, so a faulted request reaches neither the cache nor
   * the upstream, and its upstream timeout around the provider call alone; the IP filter, which
   * names the caller, before the caller limit; the logs, whose stats the metrics show. Accounts
   * first: started first, everything is behind its sign-in gate.
   */
  private static List<Feature> features(Vertx vertx, FaultlineConfig config, Database database, PluginHost plugins,
                                        AuthFeature auth, TelemetryFeature tracing, String node) {
    FaultsFeature faults = new FaultsFeature(vertx, plugins);
    FaultlineConfig.Monitoring monitoring = config.monitoring();
    LogsFeature logs = new LogsFeature(vertx, database, new LogsFeature.Settings(monitoring.logQueueSize(),
        monitoring.logOverflow() == FaultlineConfig.LogOverflow.BACKPRESSURE, monitoring.logMaxLagMillis(),
        monitoring.logRetentionDays(), monitoring.logRetentionRows(), monitoring.pricesFile()), faults.catalog()::ids);
    List<Feature> features = new ArrayList<>(List.of(
        auth,
        faults,
        new IpFilterFeature(config.trustedProxies()),
        new CallerLimitFeature(),
        logs,
        new MetricsFeature(vertx, database, logs.feed(), logs.stats(), node),
        // After the logs: started last, the cache stops first, before the log writer drains.
        new CacheFeature(database)));
    if (tracing != null) {
      // Last: its step is the one closest around the provider call, inside the upstream timeout.
      features.add(tracing);
    }
    return List.copyOf(features);
  }

  /**
   * Why this node may not start as configured, or {@code null}: a clustered node needs a
   * clustered Vert.x and a store every node shares.
   */
  private static String clusterRefusal(Vertx vertx, FaultlineConfig config) {
    if (!config.cluster().enabled()) {
      return vertx.isClustered() ? "this Vert.x is clustered but cluster.enabled is false" : null;
    }
    if (!vertx.isClustered()) {
      return "cluster.enabled: Faultline needs a clustered Vert.x (ClusterNode.join builds one)";
    }
    return config.store().embeddedFile() ? ClusterSettings.sqliteRefusal() : null;
  }

  /** Where this node's admin API is reached, as the cluster's members list shows it. */
  private static String adminAddress(FaultlineConfig config, AdminApiVerticle admin) {
    String host = config.cluster().publicHost() != null ? config.cluster().publicHost() : config.host();
    return host + ":" + (admin == null ? config.adminPort() : admin.actualPort());
  }

  /** In a cluster: proxy changes are announced to, and followed from, the other nodes. */
  private Future<Void> followCluster() {
    return vertx.isClustered() ? proxies.followCluster(ClusterNode.nodeId(vertx)) : Future.succeededFuture();
  }

  private static <T> List<T> each(List<Feature> features, Function<Feature, List<T>> part) {
    return features.stream().flatMap(feature -> part.apply(feature).stream()).toList();
  }

  /** {@code step} for each feature, one after the other, in the list's order. */
  private static Future<Void> inTurn(List<Feature> features, Function<Feature, Future<Void>> step) {
    Future<Void> chain = Future.succeededFuture();
    for (Feature feature : features) {
      chain = chain.compose(v -> step.apply(feature));
    }
    return chain;
  }

  private static ProxyManager.Settings proxySettings(FaultlineConfig config) {
    return new ProxyManager.Settings(config.host(), config.portRangeFrom(), config.portRangeTo(), config.proxyInstances(),
        config.adminPort());
  }

  /** The blocks, with the configured ones every new proxy starts with checked now that all are known. */
  private static ProxyBlocks proxyBlocks(List<ProxyBlock> blocks, JsonObject newProxyDefaults) {
    try {
      return new ProxyBlocks(blocks, newProxyDefaults);
    } catch (IllegalArgumentException e) {
      throw new ConfigLoader.ConfigException(e.getMessage());
    }
  }

  /** The setup link (when no account exists), then the proxies that were running, then the demo (the first admin's). */
  private Future<Void> restoreProxies() {
    proxies.adminPort(adminPort);
    auth.announceSetup("http://localhost:" + adminPort);
    return proxies.restore()
        .compose(v -> config.demoPort() == null ? Future.succeededFuture()
            : auth.firstAdmin().compose(owner -> proxies.ensureDemo(config.demoPort(), owner.orElse(null)))
                .recover(e -> portTaken(e, "the demo proxy", config.demoPort(), "demo.port: set FAULTLINE_DEMO_PORT "
                    + "or --demo-port to another port, or FAULTLINE_DEMO_PORT=off (--demo-port off) for no demo proxy")));
  }

  /**
   * A port someone else holds stops the start with a message naming the port and the setting that
   * moves it, and no stack trace; any other failure is passed on as it is.
   */
  private static <T> Future<T> portTaken(Throwable e, String what, int port, String howToMove) {
    boolean taken = e instanceof java.net.BindException
        || String.valueOf(e.getMessage()).contains("already in use");
    return Future.failedFuture(!taken ? e : new ConfigLoader.ConfigException(
        "port " + port + " (" + what + ") is already in use, by another program or another Faultline. "
            + howToMove));
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

  /** The admin server's routes, as mounted: the tests go through every one. */
  public List<Route> adminRoutes() {
    return admin.routes();
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
