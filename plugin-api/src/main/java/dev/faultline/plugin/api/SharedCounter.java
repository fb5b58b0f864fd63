package dev.faultline.plugin.api;

import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A number a fault keeps in common with the same fault on every node of a Faultline cluster, so
 * that a limit counts across the cluster as the real provider's does (a rate limiter's bucket).
 * Asked of the host through {@link FaultContext#counter}; on one node it lives in memory. Every
 * operation is atomic across the nodes; it may take a network round trip, hence the futures. It
 * starts at 0.
 */
public interface SharedCounter {

  Future<Long> get();

  /** Sets {@code value} if the counter still holds {@code expected}; says whether it did. */
  Future<Boolean> compareAndSet(long expected, long value);

  /** Adds {@code delta} (which may be negative) and returns the new value. */
  Future<Long> addAndGet(long delta);

  /** A counter in this JVM's memory alone: what one node uses. */
  static SharedCounter inMemory() {
    AtomicLong value = new AtomicLong();
    return new SharedCounter() {
      @Override
      public Future<Long> get() {
        return Future.succeededFuture(value.get());
      }

      @Override
      public Future<Boolean> compareAndSet(long expected, long next) {
        return Future.succeededFuture(value.compareAndSet(expected, next));
      }

      @Override
      public Future<Long> addAndGet(long delta) {
        return Future.succeededFuture(value.addAndGet(delta));
      }
    };
  }
}
