package dev.faultline.plugin.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;

/**
 * A provider session's HTTP client to its upstream: pooled and kept alive, relaying bytes as they
 * come (no decompression), every connection made to the address the proxy's {@link UpstreamGuard}
 * resolved and allowed. The pool is made by the first request, so a proxy nobody calls (most of a
 * thousand, at any time) holds no connections and no timer. Used on the proxy's event loop, as the
 * session that holds it is.
 *
 * @since plugin API 0.2.0
 */
public final class UpstreamClient {

  /**
   * How often the pool looks for connections idle past their keep-alive: at Vert.x's default of
   * every second, two clients a proxy woke an idle Faultline with 1,000 proxies 2,000 times a second.
   */
  private static final int CLEANER_PERIOD_MS = 10_000;
  /** How long a close lets requests in flight (a long stream, say) finish. */
  private static final int CLOSE_GRACE_SECONDS = 30;

  private final Vertx vertx;
  private final UpstreamGuard guard;
  private final boolean ssl;
  private final int connectTimeoutMs;
  private final int maxConnections;
  private HttpClient client;
  private boolean closed;

  /**
   * @param ssl              whether the upstream speaks TLS
   * @param connectTimeoutMs how long a new connection may take
   * @param maxConnections   the most connections open to the upstream at once (from this event loop)
   */
  public UpstreamClient(Vertx vertx, UpstreamGuard guard, boolean ssl, int connectTimeoutMs, int maxConnections) {
    this.vertx = vertx;
    this.guard = guard;
    this.ssl = ssl;
    this.connectTimeoutMs = connectTimeoutMs;
    this.maxConnections = maxConnections;
  }

  /**
   * A request to {@code options}' host and port (both required), connected to the address the
   * guard gives for them (the name still goes in {@code Host} and in TLS); fails as the guard
   * refuses, or once closed.
   */
  public Future<HttpClientRequest> request(RequestOptions options) {
    if (options.getHost() == null || options.getPort() == null) {
      return Future.failedFuture(new IllegalArgumentException(
          "an upstream request needs its host and port (RequestOptions.setHost, setPort), got host "
              + options.getHost() + " and port " + options.getPort()));
    }
    if (closed) {
      return Future.failedFuture(closedFailure());
    }
    return guard.resolve(options.getHost(), options.getPort())
        .compose(server -> client().request(options.setServer(server)));
  }

  /** Closes the pool, once the requests in flight finished; a later request fails. */
  public Future<Void> close() {
    closed = true;
    return client == null ? Future.succeededFuture() : client.shutdown(CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
  }

  private HttpClient client() {
    if (closed) {
      // A request that was still resolving its upstream when the session closed: no new pool.
      throw closedFailure();
    }
    if (client == null) {
      client = vertx.createHttpClient(
          new HttpClientOptions()
              .setSsl(ssl)
              .setKeepAlive(true)
              .setTcpNoDelay(true)
              .setDecompressionSupported(false)
              .setConnectTimeout(connectTimeoutMs),
          new PoolOptions().setHttp1MaxSize(maxConnections).setCleanerPeriod(CLEANER_PERIOD_MS));
    }
    return client;
  }

  private static IllegalStateException closedFailure() {
    return new IllegalStateException("this upstream client is closed (its proxy stopped or was reconfigured)");
  }
}
