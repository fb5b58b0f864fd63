package dev.faultline.callerlimit;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One caller's token bucket, lock-free: {@code rate} tokens a second, at most {@code burst}
 * saved up. It is kept as a single number, the moment the bucket will be full again (the
 * "theoretical arrival time" of the generic cell rate algorithm, which behaves exactly as a
 * token bucket), so one compare-and-set takes a token and event loops sharing the bucket never
 * wait on a lock. A bucket whose moment has passed is full: dropping it changes nothing, which
 * is what lets {@link Buckets} evict idle callers freely.
 */
final class TokenBucket {

  /** What a refused caller must wait; {@code 0} for a taken token. */
  static final long TAKEN = 0;

  private final Rate rate;
  /** When the bucket is full again, in {@link System#nanoTime} terms; never earlier than it started. */
  private final AtomicLong fullAt;

  TokenBucket(Rate rate, long now) {
    this.rate = rate;
    this.fullAt = new AtomicLong(now);
  }

  /**
   * Takes a token if there is one.
   *
   * @return {@link #TAKEN}, or the nanoseconds until a token is there (at least 1)
   */
  long take(long now) {
    while (true) {
      long full = fullAt.get();
      // Differences, not comparisons: nanoTime may be negative and may wrap.
      long owed = Math.max(0, full - now);
      if (owed > rate.toleranceNanos()) {
        return Math.max(1, owed - rate.toleranceNanos());
      }
      if (fullAt.compareAndSet(full, now + owed + rate.intervalNanos())) {
        return TAKEN;
      }
    }
  }

  /** Gives back a token taken for a request another limit then refused. */
  void giveBack() {
    fullAt.addAndGet(-rate.intervalNanos());
  }

  /** Whether the bucket is full, so forgetting it changes nothing. */
  boolean idle(long now) {
    return owed(now) == 0;
  }

  /** How long until the bucket is full: what forgetting it would give its caller for free. */
  long owed(long now) {
    return Math.max(0, fullAt.get() - now);
  }

  /**
   * A limit in the terms the bucket needs.
   *
   * @param intervalNanos  time one token takes to come back
   * @param toleranceNanos how far ahead of time a caller may be: {@code burst - 1} tokens' worth
   */
  record Rate(double perSecond, int burst, long intervalNanos, long toleranceNanos) {

    static Rate of(double perSecond, int burst) {
      long interval = Math.max(1, Math.round(1e9 / perSecond));
      return new Rate(perSecond, burst, interval, (burst - 1L) * interval);
    }
  }
}
