package dev.faultline.server;


/**
 * How long Faultline's HTTP servers (the admin API and every proxy) wait for their callers.
 *
 * @param idleMillis        a connection with no request in progress — idle between keep-alive
 *                          requests, or whose next request head has not fully arrived — is closed
 *                          after this long; 0 never closes one
 * @param requestReadMillis once its head has arrived, a request's body must arrive whole within
 *                          this long, else it is answered 408 and its connection closed; 0 waits forever
 * @param shutdownGraceMillis at shutdown, requests in flight get this long to finish before their
 *                          connections are closed
 */
public record ConnectionTimeouts(long idleMillis, long requestReadMillis, long shutdownGraceMillis) {

  public ConnectionTimeouts {
    if (idleMillis < 0 || requestReadMillis < 0 || shutdownGraceMillis < 0) {
      throw new IllegalArgumentException("timeouts must not be negative");
    }
  }

  /** The shipped defaults: 60 s idle, 30 s to read a request, 10 s of grace at shutdown. */
  public static ConnectionTimeouts defaults() {
    return new ConnectionTimeouts(60_000, 30_000, 10_000);
  }
}
