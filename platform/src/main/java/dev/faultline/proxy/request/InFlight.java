package dev.faultline.proxy.request;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * The requests still using one route of a proxy, so that a route replaced by a settings change
 * closes its provider session only once they are done. Used on the proxy's event loop only.
 */
final class InFlight {

  private int count;
  private Promise<Void> idle;

  void enter() {
    count++;
  }

  void leave() {
    if (--count == 0 && idle != null) {
      idle.tryComplete();
    }
  }

  /** Completes once no request uses the route any more. */
  Future<Void> drained() {
    if (count == 0) {
      return Future.succeededFuture();
    }
    idle = Promise.promise();
    return idle.future();
  }
}
