package dev.faultline.proxy.control;

import dev.faultline.proxy.ProxyException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the changes to this node's proxies one after another, each seeing the previous one's
 * outcome: the admin API's, and those followed from the store. A change that has not finished
 * after {@link #TIMEOUT_SECONDS} fails, and the queue moves on.
 */
final class ChangeQueue {

  private static final Logger LOG = LoggerFactory.getLogger(ChangeQueue.class);

  /** The last bound on a whole change (several steps and store calls), after which the next one goes. */
  static final long TIMEOUT_SECONDS = 60;

  private Future<?> queue = Future.succeededFuture();
  private volatile boolean closing;
  private volatile long timeoutMs = TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS);

  /** For tests: how long a whole change may take before it is given up. */
  void timeout(long millis) {
    this.timeoutMs = millis;
  }

  /** From now on every change is refused: Faultline is shutting down. */
  void close() {
    closing = true;
  }

  boolean closing() {
    return closing;
  }

  /** Runs {@code change} once every change queued before it has finished (or been given up). */
  synchronized <T> Future<T> run(Supplier<Future<T>> change) {
    Promise<T> result = Promise.promise();
    queue = queue.transform(previous -> {
      Future<T> bounded = bounded(begin(change));
      bounded.onComplete(result);
      return bounded.otherwiseEmpty();
    });
    return result.future();
  }

  private <T> Future<T> begin(Supplier<Future<T>> change) {
    if (closing) {
      return Future.failedFuture(ProxyException.unavailable("Faultline is shutting down; no change is made"));
    }
    try {
      return change.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private <T> Future<T> bounded(Future<T> change) {
    return change.timeout(timeoutMs, TimeUnit.MILLISECONDS).recover(e -> {
      if (change.isComplete()) {
        return Future.failedFuture(e);
      }
      LOG.error("A proxy change did not finish within {} ms; the next change goes ahead", timeoutMs);
      return Future.failedFuture(ProxyException.unavailable("the change did not finish within "
          + timeoutMs / 1000 + " s and was given up; GET the proxy to see its state now"));
    });
  }
}
