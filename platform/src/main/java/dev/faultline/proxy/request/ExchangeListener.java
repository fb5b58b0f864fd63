package dev.faultline.proxy.request;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Objects;

/**
 * Watches every exchange of every proxy: the logs and metrics hang here. Called on the proxy's
 * event loop; must be quick and never block.
 */
public interface ExchangeListener {

  /** Called when the response head goes out; returns who wants to see its body, or null. */
  default BodyObserver observe(Exchange exchange) {
    return null;
  }

  /**
   * Whether the listener can take another exchange: a completed future while it keeps up, else
   * one that completes once it can again (within a bound of the listener's choosing). The proxy
   * holds a new request, its body unread, until then. Called once per request on the proxy's
   * event loop, so it must cost next to nothing while the listener keeps up.
   */
  default Future<Void> ready() {
    return Future.succeededFuture();
  }

  /** Called once when the exchange is over, whichever way it ended. */
  void finished(Exchange exchange);

  /** One listener telling all of {@code listeners}, in order; the proxy waits until all are ready. */
  static ExchangeListener all(List<ExchangeListener> listeners) {
    List<ExchangeListener> each = List.copyOf(listeners);
    if (each.size() == 1) {
      return each.get(0);
    }
    return new ExchangeListener() {
      @Override
      public BodyObserver observe(Exchange exchange) {
        List<BodyObserver> observers = each.stream().map(l -> l.observe(exchange)).filter(Objects::nonNull).toList();
        return observers.isEmpty() ? null : chunk -> observers.forEach(o -> o.chunk(chunk));
      }

      @Override
      public Future<Void> ready() {
        return Future.all(each.stream().map(ExchangeListener::ready).toList()).mapEmpty();
      }

      @Override
      public void finished(Exchange exchange) {
        each.forEach(l -> l.finished(exchange));
      }
    };
  }

  /** Sees each chunk of the response body as it goes to the caller. */
  interface BodyObserver {
    void chunk(Buffer chunk);
  }
}
