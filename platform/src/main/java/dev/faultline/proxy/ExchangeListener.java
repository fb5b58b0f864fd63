package dev.faultline.proxy;

import io.vertx.core.buffer.Buffer;

/**
 * Watches every exchange of every proxy: the logs and metrics hang here. Called on the proxy's
 * event loop; must be quick and never block.
 */
public interface ExchangeListener {

  /** Called when the response head goes out; returns who wants to see its body, or null. */
  default BodyObserver observe(Exchange exchange) {
    return null;
  }

  /** Called once when the exchange is over, whichever way it ended. */
  void finished(Exchange exchange);

  /** Sees each chunk of the response body as it goes to the caller. */
  interface BodyObserver {
    void chunk(Buffer chunk);
  }
}
