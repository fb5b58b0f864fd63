package dev.faultline.api;

import dev.faultline.plugins.PluginHost;
import dev.faultline.proxy.control.ProxyManager;
import dev.faultline.server.ConnectionGuard;
import dev.faultline.server.ConnectionTimeouts;
import dev.faultline.store.Database;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The admin REST API ({@code /api/...}) and {@code /healthz}, with whatever else the features
 * mount on the admin port; every route behind {@link AdminGuard} and, under {@code /api/},
 * {@link BodyTypes}.
 */
public final class AdminApiVerticle extends VerticleBase {

  private static final long MAX_ADMIN_BODY = 1024 * 1024;

  private final String host;
  private final int port;
  private final Database database;
  private final PluginHost plugins;
  private final ProxyManager proxies;
  private final List<ApiRoutes> features;
  private final List<HealthSection> health;
  private final AllowedHosts allowedHosts;
  private final ConnectionTimeouts timeouts;
  private HttpServer server;
  private ConnectionGuard guard;
  private Router router;

  /**
   * @param features     the routes each feature adds (cache, faults, logs, …)
   * @param health       each feature's part of {@code /healthz}
   * @param allowedHosts the {@code Host} names served
   * @param timeouts     how long an idle connection, or a request body, is waited for
   */
  public AdminApiVerticle(String host, int port, Database database, PluginHost plugins, ProxyManager proxies,
                          List<ApiRoutes> features, List<HealthSection> health, AllowedHosts allowedHosts,
                          ConnectionTimeouts timeouts) {
    this.host = host;
    this.port = port;
    this.database = database;
    this.plugins = plugins;
    this.proxies = proxies;
    this.features = List.copyOf(features);
    this.health = List.copyOf(health);
    this.allowedHosts = allowedHosts;
    this.timeouts = timeouts;
  }

  @Override
  public Future<?> start() {
    return OpenApiRoutes.load(vertx).compose(this::listen);
  }

  private Future<HttpServer> listen(OpenApiRoutes contract) {
    router = Router.router(vertx);
    // Before any route's own handlers, the cassette import's early body reader included: a refused
    // request is not read.
    router.route().order(-11).handler(SecurityHeaders::add);
    router.route().order(-10).handler(new AdminGuard(allowedHosts));
    Map<String, List<String>> bodyTypes = new HashMap<>();
    features.forEach(feature -> bodyTypes.putAll(feature.bodyTypes()));
    router.route("/api/*").order(-9).handler(new BodyTypes(bodyTypes));
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_ADMIN_BODY));
    new HealthRoutes(database, health).mount(router);
    contract.mount(router);
    ProxyAccess.mount(router, proxies);
    new ProxyRoutes(proxies).mount(router);
    new PlaygroundRoutes(vertx, proxies, host).mount(router);
    router.get("/api/plugins").handler(ctx -> Responses.json(ctx, 200, plugins.describe()));
    features.forEach(feature -> feature.mount(router));
    Responses.mountErrorHandlers(router);
    // A slow body here is not answered, only closed: the admin API has no caller to speak a provider's errors to.
    guard = new ConnectionGuard(vertx, timeouts.idleMillis(), timeouts.requestReadMillis());
    server = guard.install(vertx.createHttpServer(ConnectionGuard.options())).requestHandler(request -> {
      guard.started(request);
      router.handle(request);
    });
    return server.listen(port, host);
  }

  /**
   * Stops accepting; requests in flight get at most {@code graceMillis} to finish. A live log
   * stream never finishes on its own, so it is the grace that ends it.
   */
  public Future<Void> shutdown(long graceMillis) {
    guard.stop();
    return server.shutdown(graceMillis, TimeUnit.MILLISECONDS);
  }

  /** Every route mounted, in order: for the tests that must go through each one. */
  public List<Route> routes() {
    return router.getRoutes();
  }

  /** The port actually bound (differs from the configured one when that was 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
