package dev.faultline.launcher;

import dev.faultline.api.AdminApiVerticle;
import dev.faultline.api.ApiRoutes;
import dev.faultline.plugins.PluginHost;
import dev.faultline.proxy.ExchangeListener;
import dev.faultline.proxy.InterceptorFactory;
import dev.faultline.proxy.ProxyBlock;
import dev.faultline.proxy.ProxyBlocks;
import dev.faultline.proxy.ProxyManager;
import dev.faultline.proxy.ProxyRuntime;
import dev.faultline.store.Database;
import dev.faultline.store.ProxyStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * One running Faultline: database, plugins, proxies and admin API, started in that order on a
 * given Vert.x instance. The launcher and the tests both start it this way.
 */
public final class Faultline {

  private final Vertx vertx;
  private final FaultlineConfig config;
  private final Database database;
  private final PluginHost plugins;
  private final ProxyManager proxies;
  private final int adminPort;

  private Faultline(Vertx vertx, FaultlineConfig config, Database database, PluginHost plugins, ProxyManager proxies,
                    int adminPort) {
    this.vertx = vertx;
    this.config = config;
    this.database = database;
    this.plugins = plugins;
    this.proxies = proxies;
    this.adminPort = adminPort;
  }

  public static Future<Faultline> start(Vertx vertx, FaultlineConfig config) {
    return Database.open(vertx, config.databaseFile())
        .compose(database -> PluginHost.start(vertx, config.pluginsDir())
            .compose(plugins -> {
              // Each feature adds its proxy settings block, its pipeline step (in pipeline order:
              // faults, cache, upstream timeout), its exchange listener and its admin routes here.
              List<ProxyBlock> blocks = new ArrayList<>();
              List<InterceptorFactory> interceptors = new ArrayList<>();
              ExchangeListener listener = ExchangeListener.NONE;
              List<ApiRoutes> routes = new ArrayList<>();

              ProxyBlocks proxyBlocks = new ProxyBlocks(blocks);
              ProxyRuntime runtime = new ProxyRuntime(config.host(), config.maxBodyBytes(), interceptors, listener);
              ProxyManager proxies = new ProxyManager(vertx, config, new ProxyStore(database, proxyBlocks), plugins,
                  proxyBlocks, runtime);
              AdminApiVerticle admin = new AdminApiVerticle(config.host(), config.adminPort(), database, plugins, proxies,
                  routes);
              return vertx.deployVerticle(admin)
                  .map(id -> new Faultline(vertx, config, database, plugins, proxies, admin.actualPort()));
            }))
        .compose(faultline -> faultline.restoreProxies().map(faultline));
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

  /** Stops every proxy and the admin API, then releases the database and the plugins. */
  public Future<Void> stop() {
    return Future.all(vertx.deploymentIDs().stream().map(vertx::undeploy).toList())
        .transform(v -> database.close())
        .transform(v -> vertx.executeBlocking(() -> {
          plugins.stop();
          return null;
        }))
        .mapEmpty();
  }
}
