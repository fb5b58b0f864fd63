package dev.faultline.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Closes the connections of one HTTP server that hold it up for nothing: one with no request in
 * progress (idle keep-alive, or a request head that never completes) after the idle timeout, and,
 * when asked, one whose request body does not arrive in time.
 *
 * <p>Not Vert.x's own idle timeouts: they count silence in both directions or in one, whatever
 * the state of the request, so they would cut a caller who waits, silent, for a slow or hung
 * upstream — which a proxy must let happen. Here a request in progress is never idle, however
 * long its answer takes, and a stream being written is in progress until it ends.
 *
 * <p>One sweep per server instance checks its connections every fraction of the shortest timeout,
 * so a connection closes at most that much late. Used on the server's event loop only.
 */
public final class ConnectionGuard {

  private static final long MIN_SWEEP_MS = 20;
  private static final long MAX_SWEEP_MS = 1_000;

  private final Vertx vertx;
  private final long idleMillis;
  private final long bodyMillis;
  private final Map<HttpConnection, Watch> watches = new HashMap<>();
  private long sweepTimer = -1;

  /** A request not yet answered, and when its head arrived. */
  private record Open(HttpServerRequest request, long since) {
  }

  /** One connection's requests in progress (more than one only over HTTP/2), and since when it has none. */
  private static final class Watch {
    final List<Open> open = new ArrayList<>(1);
    long idleSince;

    Watch(long now) {
      idleSince = now;
    }
  }

  /**
   * @param idleMillis 0 never closes an idle connection
   * @param bodyMillis a request whose body is not whole this long after its head closes its
   *                   connection; 0 leaves that to the server's own request handling
   */
  public ConnectionGuard(Vertx vertx, long idleMillis, long bodyMillis) {
    this.vertx = vertx;
    this.idleMillis = idleMillis;
    this.bodyMillis = bodyMillis;
  }

  /**
   * Options for a server this guard watches: HTTP/1.1 only. With cleartext HTTP/2 on, Vert.x
   * makes no connection of a socket until its first bytes tell which protocol it speaks, so a
   * socket that sends nothing, or half a head, could never be closed.
   */
  public static HttpServerOptions options() {
    return new HttpServerOptions().setHttp2ClearTextEnabled(false);
  }

  /** Watches every connection {@code server} accepts; call before it listens, on its event loop. */
  public HttpServer install(HttpServer server) {
    if (idleMillis == 0 && bodyMillis == 0) {
      return server;
    }
    server.connectionHandler(connection -> {
      watches.put(connection, new Watch(System.currentTimeMillis()));
      connection.closeHandler(v -> watches.remove(connection));
    });
    long shortest = Math.min(idleMillis == 0 ? Long.MAX_VALUE : idleMillis, bodyMillis == 0 ? Long.MAX_VALUE : bodyMillis);
    sweepTimer = vertx.setPeriodic(Math.max(MIN_SWEEP_MS, Math.min(MAX_SWEEP_MS, shortest / 4)), id -> sweep());
    return server;
  }

  /** A request's head arrived: its connection is busy until it is answered. Call first thing in the handler. */
  public void started(HttpServerRequest request) {
    Watch watch = watches.get(request.connection());
    if (watch != null) {
      watch.open.add(new Open(request, System.currentTimeMillis()));
    }
  }

  /**
   * Closes a connection at once. Not {@link HttpConnection#close()}: in Vert.x 5.0 that is a
   * graceful shutdown, which never completes on an HTTP/1.x server connection with no request in
   * progress — the very ones to close — so the channel underneath is closed instead.
   */
  public static void closeNow(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      base.channel().close();
    } else {
      connection.close();
    }
  }

  /** Stops the sweep (the server is closing). */
  public void stop() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
      sweepTimer = -1;
    }
  }

  private void sweep() {
    long now = System.currentTimeMillis();
    List<HttpConnection> toClose = new ArrayList<>();
    watches.forEach((connection, watch) -> {
      if (watch.open.removeIf(open -> open.request().response().ended() || open.request().response().closed())
          && watch.open.isEmpty()) {
        // It ended since the last sweep: counting from now closes it at most one sweep late.
        watch.idleSince = now;
      }
      if (watch.open.isEmpty()) {
        if (idleMillis > 0 && now - watch.idleSince >= idleMillis) {
          toClose.add(connection);
        }
      } else if (bodyMillis > 0) {
        for (Open open : watch.open) {
          if (!open.request().isEnded() && now - open.since() >= bodyMillis) {
            toClose.add(connection);
            break;
          }
        }
      }
    });
    toClose.forEach(connection -> {
      watches.remove(connection);
      closeNow(connection);
    });
  }
}
