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
 * so a connection closes at most that much late; it runs only while the server has connections.
 * Used on the server's event loop only.
 */
public final class ConnectionGuard {

  private static final long MIN_SWEEP_MS = 20;
  private static final long MAX_SWEEP_MS = 1_000;

  private final Vertx vertx;
  private final long idleMillis;
  private final long bodyMillis;
  private final boolean bodyFromHead;
  private final Map<HttpConnection, Watch> watches = new HashMap<>();
  private long sweepMillis;
  private long sweepTimer = -1;
  private boolean stopped;

  /**
   * One connection's request in progress, if any, and since when it has none. One is enough: the
   * servers speak HTTP/1.1 only ({@link #options()}), where a connection answers its requests one
   * after the other. Set per request without allocating, since a proxy sees tens of thousands a
   * second on a few kept-alive connections.
   */
  private static final class Watch {
    HttpServerRequest current;
    long currentSince;
    /** Whether the current request's body is on the clock. */
    boolean bodyDeadline;
    /** What to do when the current request's body is late; closing the connection when null. */
    Runnable slowBody;
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
    this(vertx, idleMillis, bodyMillis, true);
  }

  private ConnectionGuard(Vertx vertx, long idleMillis, long bodyMillis, boolean bodyFromHead) {
    this.vertx = vertx;
    this.idleMillis = idleMillis;
    this.bodyMillis = bodyMillis;
    this.bodyFromHead = bodyFromHead;
  }

  /**
   * A proxy's guard: a body's deadline starts only when its reader says so ({@link #onSlowBody}),
   * since a proxy may hold a request, its body unread, while the log writer catches up.
   */
  public static ConnectionGuard forProxy(Vertx vertx, long idleMillis, long bodyMillis) {
    return new ConnectionGuard(vertx, idleMillis, bodyMillis, false);
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
    long shortest = Math.min(idleMillis == 0 ? Long.MAX_VALUE : idleMillis, bodyMillis == 0 ? Long.MAX_VALUE : bodyMillis);
    sweepMillis = Math.max(MIN_SWEEP_MS, Math.min(MAX_SWEEP_MS, shortest / 4));
    server.connectionHandler(connection -> {
      watches.put(connection, new Watch(System.currentTimeMillis()));
      connection.closeHandler(v -> forget(connection));
      if (sweepTimer < 0 && !stopped) {
        sweepTimer = vertx.setPeriodic(sweepMillis, id -> sweep());
      }
    });
    return server;
  }

  /**
   * Stops watching {@code connection}; the sweep stops with the last one. A server with no
   * connection needs none, and a thousand idle proxies, two servers each, would otherwise wake
   * their event loops two thousand times a second for nothing.
   */
  private void forget(HttpConnection connection) {
    watches.remove(connection);
    if (watches.isEmpty() && sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
      sweepTimer = -1;
    }
  }

  /** A request's head arrived: its connection is busy until it is answered. Call first thing in the handler. */
  public void started(HttpServerRequest request) {
    Watch watch = watches.get(request.connection());
    if (watch == null) {
      return;
    }
    if (request.headers().contains("upgrade", "websocket", true)) {
      // A WebSocket (the SockJS bridge) lives on after its handshake "ends" the response:
      // not this guard's to close as idle.
      forget(request.connection());
      return;
    }
    watch.current = request;
    watch.currentSince = System.currentTimeMillis();
    watch.bodyDeadline = bodyFromHead;
    watch.slowBody = null;
  }

  /**
   * What to do, instead of closing the connection, when {@code request}'s body is not whole in
   * time from now (a proxy answers 408 in its provider's shape). One sweep checks every
   * connection, so a request costs no timer of its own.
   */
  public void onSlowBody(HttpServerRequest request, Runnable action) {
    Watch watch = watches.get(request.connection());
    if (watch != null && watch.current == request) {
      watch.slowBody = action;
      // The deadline counts from here: time a request was held before its body is read (for a
      // log writer that fell behind) is not the caller's.
      watch.currentSince = System.currentTimeMillis();
      watch.bodyDeadline = true;
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

  /** Whether the sweep runs now (it does only while the server has connections); on the event loop. */
  boolean sweeping() {
    return sweepTimer >= 0;
  }

  /** Stops the sweep for good (the server is closing). */
  public void stop() {
    stopped = true;
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
      sweepTimer = -1;
    }
  }

  private void sweep() {
    long now = System.currentTimeMillis();
    List<HttpConnection> toClose = new ArrayList<>();
    watches.forEach((connection, watch) -> {
      HttpServerRequest current = watch.current;
      if (current != null && (current.response().ended() || current.response().closed())) {
        // It ended since the last sweep: counting from now closes it at most one sweep late.
        watch.current = null;
        watch.idleSince = now;
      }
      if (watch.current == null) {
        if (idleMillis > 0 && now - watch.idleSince >= idleMillis) {
          toClose.add(connection);
        }
      } else if (bodyMillis > 0 && watch.bodyDeadline && !current.isEnded()
          && now - watch.currentSince >= bodyMillis) {
        if (watch.slowBody != null) {
          Runnable action = watch.slowBody;
          watch.slowBody = null;
          action.run();
        } else {
          toClose.add(connection);
        }
      }
    });
    toClose.forEach(connection -> {
      forget(connection);
      closeNow(connection);
    });
  }
}
