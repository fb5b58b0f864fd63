package dev.faultline.proxy.request;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Provider;
import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.plugin.api.ProviderSession;
import dev.faultline.proxy.ProxyDefinition;
import dev.faultline.server.ConnectionGuard;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running proxy (or one event loop's share of it): binds the proxy's port and runs each
 * request through the pipeline
 * {@code accept checks → body limit → JSON validation → API-key check → interceptors → provider → relay},
 * then tells the {@link ExchangeListener} how it went.
 */
public final class ProxyVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyVerticle.class);

  /** How long a replaced route waits for its last requests before its session closes anyway. */
  private static final long DRAIN_GRACE_SECONDS = 30;

  /** How long a start that failed, or a stop, waits for the provider session to close. */
  private static final long SESSION_CLOSE_SECONDS = 5;

  private final ProxyRuntime runtime;
  private BodyReader bodyReader;
  private volatile Route route;
  /** Requests this instance is answering now, on any route; written on its event loop only. */
  private volatile int answering;
  private HttpServer server;
  private ConnectionGuard guard;

  /** A proxy's settings with the provider session, checks and pipeline made from them; swapped as a whole. */
  private record Route(ProxyDefinition proxy, Provider provider, List<AcceptCheck> checks, Pipeline pipeline,
                       InFlight inFlight) {
  }

  public ProxyVerticle(ProxyDefinition proxy, Provider provider, ProxyRuntime runtime) {
    this.route = new Route(proxy, provider, List.of(), null, new InFlight());
    this.runtime = runtime;
  }

  @Override
  public Future<?> start() {
    ProxyDefinition proxy = route.proxy();
    route = open(proxy, route.provider());
    // The guard closes idle connections and, for the body reader, answers a late body with a 408.
    guard = ConnectionGuard.forProxy(vertx, runtime.timeouts().idleMillis(), runtime.timeouts().requestReadMillis());
    bodyReader = new BodyReader(guard, runtime.maxBodyBytes(), runtime.timeouts().requestReadMillis());
    // No WebSocket compression: a proxy answers plain HTTP, and with it on Vert.x puts a handler
    // in front of every request that only looks for a WebSocket handshake.
    server = guard.install(vertx.createHttpServer(ConnectionGuard.options().setTcpNoDelay(true)
            .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false)))
        .requestHandler(this::handle)
        .invalidRequestHandler(this::refuseMalformed);
    // The session is closed before start fails, never beside it: Vert.x tears down a failed
    // deployment's context (and the clients the session made on it) once start fails, and a
    // session closing its client while that teardown runs could leave the deployment unfinished.
    return server.listen(proxy.port(), runtime.host())
        .recover(e -> {
          guard.stop();
          return route.pipeline().session().close()
              .timeout(SESSION_CLOSE_SECONDS, TimeUnit.SECONDS)
              .transform(closed -> Future.failedFuture(e));
        });
  }

  /**
   * Stops accepting at once and closes idle connections; requests in flight (a long stream) get
   * the shutdown grace to finish, each connection closing after its last answer, then the rest close.
   */
  @Override
  public Future<?> stop() {
    guard.stop();
    // In-flight requests (a long stream) get the grace period before connections close; a
    // provider whose close never ends must not keep the proxy from stopping.
    return server.shutdown(runtime.timeouts().shutdownGraceMillis(), TimeUnit.MILLISECONDS)
        .eventually(() -> route.pipeline().session().close().timeout(SESSION_CLOSE_SECONDS, TimeUnit.SECONDS));
  }

  /** Requests this instance is answering now (their head read, their answer not yet over). */
  public int inFlight() {
    return answering;
  }

  /**
   * Points this proxy at new settings without closing its port: requests already in flight
   * finish on the old provider session, new ones use the new one.
   */
  public Future<Void> reconfigure(ProxyDefinition proxy, Provider provider) {
    return Future.<Route>future(promise -> context.runOnContext(v -> {
          try {
            promise.complete(open(proxy, provider));
          } catch (RuntimeException e) {
            promise.fail(e);
          }
        }))
        .map(next -> {
          Route previous = route;
          route = next;
          // Requests that started on the old route (still reading their body, or streaming)
          // keep its session until they end; one that hangs gets a grace period, not forever.
          previous.inFlight().drained()
              .timeout(DRAIN_GRACE_SECONDS, TimeUnit.SECONDS)
              .onComplete(done -> previous.pipeline().session().close());
          return null;
        });
  }

  private Route open(ProxyDefinition proxy, Provider provider) {
    String upstream = proxy.upstream() != null ? proxy.upstream() : provider.defaultUpstream().orElse(null);
    ProviderSession session = provider.open(new SessionContext(vertx, proxy.id(), upstream, proxy.options(),
        runtime.upstreams().guard(proxy.id(), proxy.owner())));
    List<AcceptCheck> checks = new ArrayList<>();
    List<Interceptor> steps = new ArrayList<>();
    try {
      runtime.acceptChecks().forEach(factory -> factory.create(proxy, provider).ifPresent(checks::add));
      runtime.interceptors().forEach(factory -> factory.create(proxy, provider).ifPresent(steps::add));
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
    return new Route(proxy, provider, List.copyOf(checks), new Pipeline(steps, session), new InFlight());
  }

  private void handle(HttpServerRequest http) {
    guard.started(http);
    Route current = route;
    current.inFlight().enter();
    answering++;
    Exchange exchange = new Exchange(RequestIds.next(), http, current.proxy(), current.provider());
    http.response().closeHandler(v -> {
      if (!http.response().ended()) {
        finish(current, exchange, Exchange.Outcome.ABANDONED);
      }
    });
    admit(current, exchange)
        .compose(v -> ready(http))
        .compose(v -> bodyReader.read(http))
        .map(body -> {
          exchange.request(RequestParser.parse(http, body, exchange.requestId()));
          if (current.proxy().requireApiKey()) {
            ApiKeyCheck.check(exchange.request());
          }
          return exchange;
        })
        .compose(current.pipeline()::run)
        .recover(error -> error instanceof ConnectionReset ? Future.failedFuture(error)
            : Future.succeededFuture(errorResponse(exchange, error)))
        .onComplete(result -> respond(current, exchange, result));
  }

  /** Holds the request, its body unread, while the log cannot keep up; at once otherwise. */
  private Future<Void> ready(HttpServerRequest http) {
    Future<Void> ready = runtime.listener().ready();
    if (!ready.isComplete()) {
      http.pause();
    }
    return ready;
  }

  /**
   * A request the HTTP codec could not read (a request line or headers over its limits, bytes
   * that are not HTTP): answered in the provider's error shape and logged like any refusal, then
   * the connection is closed, since what follows on it cannot be read as HTTP either.
   */
  private void refuseMalformed(HttpServerRequest http) {
    Route current = route;
    current.inFlight().enter();
    answering++;
    Exchange exchange = new Exchange(RequestIds.next(), http, current.proxy(), current.provider());
    if (MalformedRequest.lineUnread(http)) {
      exchange.requestLineUnread();
    }
    exchange.responseHeader("connection", "close");
    http.response().endHandler(v -> http.connection().close());
    ProviderResponse answer = errorResponse(exchange, new ProxyError(MalformedRequest.error(http.decoderResult().cause())));
    respond(current, exchange, Future.succeededFuture(answer));
  }

  /** Runs the accept checks; a refused request is answered without reading its body. */
  private static Future<Void> admit(Route route, Exchange exchange) {
    try {
      route.checks().forEach(check -> check.admit(exchange));
      return Future.succeededFuture();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private void respond(Route route, Exchange exchange, AsyncResult<ProviderResponse> result) {
    if (exchange.finished()) {
      // The caller left while we waited (a hang, a slow upstream): nobody reads this answer.
      if (result.succeeded()) {
        result.result().cancel().run();
      }
      return;
    }
    if (result.failed()) {
      exchange.http().response().reset();
      finish(route, exchange, Exchange.Outcome.RESET);
      return;
    }
    ProviderResponse response = result.result();
    exchange.http().response().closeHandler(v -> {
      if (!exchange.http().response().ended()) {
        response.cancel().run();
        finish(route, exchange, Exchange.Outcome.ABANDONED);
      }
    });
    ResponseRelay.relay(response, exchange, runtime.listener(), outcome -> finish(route, exchange, outcome));
  }

  private ProviderResponse errorResponse(Exchange exchange, Throwable error) {
    ApiError apiError = toApiError(error, exchange.requestId());
    exchange.errorType(apiError.code() != null ? apiError.code() : apiError.type());
    return exchange.provider().error(exchange.knownRequest(), apiError);
  }

  private void finish(Route route, Exchange exchange, Exchange.Outcome outcome) {
    if (exchange.finish(outcome)) {
      route.inFlight().leave();
      answering--;
      try {
        runtime.listener().finished(exchange);
      } catch (RuntimeException e) {
        LOG.error("Exchange listener failed for {}", exchange.requestId(), e);
      }
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
