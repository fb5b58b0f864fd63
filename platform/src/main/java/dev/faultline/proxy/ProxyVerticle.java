package dev.faultline.proxy;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Provider;
import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.plugin.api.ProviderSession;
import dev.faultline.plugin.api.ProxyRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running proxy (or one event loop's share of it): binds the proxy's port and runs each
 * request through the pipeline
 * {@code body limit → JSON validation → API-key check → provider.forward → relay}.
 */
public final class ProxyVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyVerticle.class);

  private final String host;
  private final BodyReader bodyReader;
  private volatile Route route;
  private HttpServer server;

  /** The provider a request goes to, and the proxy settings it goes with; swapped as a whole. */
  record Route(ProxyDefinition proxy, Provider provider, ProviderSession session) {
  }

  ProxyVerticle(ProxyDefinition proxy, Provider provider, String host, long maxBodyBytes) {
    this.route = new Route(proxy, provider, null);
    this.host = host;
    this.bodyReader = new BodyReader(maxBodyBytes);
  }

  @Override
  public Future<?> start() {
    Route initial = route;
    route = open(initial.proxy(), initial.provider());
    server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setIdleTimeout(0))
        .requestHandler(this::handle);
    return server.listen(initial.proxy().port(), host)
        .onFailure(e -> route.session().close());
  }

  @Override
  public Future<?> stop() {
    // In-flight requests (a long stream) get a grace period before connections close.
    return server.shutdown(10, TimeUnit.SECONDS).eventually(() -> route.session().close());
  }

  /**
   * Points this proxy at new settings without closing its port: requests already in flight
   * finish on the old provider session, new ones use the new one.
   */
  Future<Void> reconfigure(ProxyDefinition proxy, Provider provider) {
    return Future.<Route>future(promise -> context.runOnContext(v -> {
          try {
            promise.complete(open(proxy, provider));
          } catch (RuntimeException e) {
            promise.fail(e);
          }
        }))
        .compose(next -> {
          Route previous = route;
          route = next;
          return previous.session().close();
        });
  }

  private Route open(ProxyDefinition proxy, Provider provider) {
    String upstream = proxy.upstream() != null ? proxy.upstream() : provider.defaultUpstream().orElse(null);
    ProviderSession session = provider.open(new SessionContext(vertx, proxy.id(), upstream, proxy.options()));
    return new Route(proxy, provider, session);
  }

  private void handle(HttpServerRequest request) {
    Route current = route;
    String requestId = RequestIds.next();
    bodyReader.read(request)
        .map(body -> RequestParser.parse(request, body, requestId))
        .map(proxyRequest -> current.proxy().requireApiKey() ? ApiKeyCheck.check(proxyRequest) : proxyRequest)
        .compose(proxyRequest -> forward(current, proxyRequest))
        .recover(error -> Future.succeededFuture(current.provider().error(toApiError(error, requestId))))
        .onSuccess(response -> ResponseRelay.relay(response, request.response(), requestId));
  }

  private static Future<ProviderResponse> forward(Route route, ProxyRequest request) {
    try {
      return route.session().forward(request)
          .recover(error -> Future.failedFuture(new ProxyError(
              ApiError.badGateway("Upstream unreachable or broken before it answered: " + error.getMessage()))));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static ApiError toApiError(Throwable error, String requestId) {
    if (error instanceof ProxyError proxyError) {
      return proxyError.error();
    }
    LOG.error("Request {} failed inside the proxy", requestId, error);
    return new ApiError(500, "server_error", "internal_error",
        "The proxy failed to handle request " + requestId + ": " + error, null, null);
  }
}
