package dev.faultline.plugins.faults;

import dev.faultline.plugin.api.SharedCounter;
import io.vertx.core.Future;

/**
 * A per-minute {@link TokenBucket} kept in one {@link SharedCounter}, so that every node of a
 * cluster draws on the same bucket. The counter holds one number, the moment (nanoseconds since
 * the epoch) at which the bucket will be full again — the generic cell rate algorithm — and each
 * take is a compare-and-set on it: no lock, no node that owns the bucket. Starting at 0, the
 * bucket is full. Same behaviour as the one-node bucket: a burst of the whole limit, then one unit
 * per {@code 60 s / limit}; a refused take takes nothing.
 */
final class SharedBucket {

  private static final long MINUTE_NANOS = 60_000_000_000L;
  private static final long NANOS_PER_MILLI = 1_000_000L;
  /** Compare-and-set attempts before a take gives up (many nodes racing for one bucket). */
  private static final int ATTEMPTS = 50;

  private final SharedCounter counter;
  private final long limit;
  private final double nanosPerUnit;

  /** Where the bucket stands after a take, and whether the take happened. */
  record Take(boolean taken, TokenBucket bucket) {
  }

  SharedBucket(SharedCounter counter, long limit) {
    this.counter = counter;
    this.limit = limit;
    this.nanosPerUnit = (double) MINUTE_NANOS / limit;
  }

  long limit() {
    return limit;
  }

  /** The bucket now, taking nothing. */
  Future<TokenBucket> peek(long nowMillis) {
    return counter.get().map(full -> snapshot(full, nowMillis * NANOS_PER_MILLI));
  }

  /**
   * Takes {@code amount} when the bucket has it; an {@code enforced} false bucket is drawn on past
   * empty (it shows 0), as an unenforced one-node bucket is.
   */
  Future<Take> take(long amount, long nowMillis, boolean enforced) {
    return attempt(amount, nowMillis * NANOS_PER_MILLI, enforced, ATTEMPTS);
  }

  /** Puts back {@code amount} taken earlier (by a request another limit then refused). */
  Future<Void> giveBack(long amount) {
    return counter.addAndGet(-Math.round(amount * nanosPerUnit)).mapEmpty();
  }

  private Future<Take> attempt(long amount, long now, boolean enforced, int left) {
    return counter.get().compose(full -> {
      long from = Math.max(full, now);
      long debt = from - now + Math.round(amount * nanosPerUnit);
      if (debt > MINUTE_NANOS + 1) {
        if (enforced) {
          return Future.succeededFuture(new Take(false, snapshot(full, now)));
        }
        debt = MINUTE_NANOS;
      }
      long next = now + debt;
      return counter.compareAndSet(full, next).compose(set -> {
        if (set) {
          return Future.succeededFuture(new Take(true, snapshot(next, now)));
        }
        return left > 1 ? attempt(amount, now, enforced, left - 1)
            : Future.failedFuture(new IllegalStateException("the shared rate-limit bucket is too contended"));
      });
    });
  }

  private TokenBucket snapshot(long fullAt, long now) {
    double level = limit * (1 - Math.max(0, fullAt - now) / (double) MINUTE_NANOS);
    return TokenBucket.at(limit, Math.max(0, level), now / NANOS_PER_MILLI);
  }
}
