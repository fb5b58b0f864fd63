package dev.faultline.callerlimit;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The buckets of one limit (per client, or per API key) of one proxy, by caller, shared by every
 * event loop serving the proxy. Bounded: at {@code capacity} callers, full (idle) buckets are
 * dropped, which changes nothing for them. If more than nine tenths are left (a flood of distinct
 * callers, all mid-burst), those closest to full are dropped down to nine tenths: each of those
 * callers gets back at most what it was closest to having anyway, while a runaway caller, deepest
 * in debt, is the last to go. Memory stays bounded, and the sweep runs at most once per tenth of
 * the capacity of new callers, not on each.
 */
final class Buckets {

  private final TokenBucket.Rate rate;
  private final int capacity;
  private final Map<String, TokenBucket> byCaller = new ConcurrentHashMap<>();
  private final AtomicBoolean sweeping = new AtomicBoolean();

  Buckets(TokenBucket.Rate rate, int capacity) {
    this.rate = rate;
    this.capacity = capacity;
  }

  TokenBucket.Rate rate() {
    return rate;
  }

  /** The caller's bucket, made full on first sight. */
  TokenBucket of(String caller, long now) {
    TokenBucket bucket = byCaller.get(caller);
    if (bucket != null) {
      return bucket;
    }
    if (byCaller.size() >= capacity) {
      sweep(now);
    }
    return byCaller.computeIfAbsent(caller, c -> new TokenBucket(rate, now));
  }

  int size() {
    return byCaller.size();
  }

  private void sweep(long now) {
    // One event loop sweeps; the others go on (the map may pass its bound by a few meanwhile).
    if (!sweeping.compareAndSet(false, true)) {
      return;
    }
    try {
      byCaller.values().removeIf(bucket -> bucket.idle(now));
      int excess = byCaller.size() - (capacity - Math.max(1, capacity / 10));
      if (excess > 0) {
        dropClosestToFull(excess, now);
      }
    } finally {
      sweeping.set(false);
    }
  }

  private void dropClosestToFull(int count, long now) {
    long[] owed = byCaller.values().stream().mapToLong(bucket -> bucket.owed(now)).sorted().toArray();
    long threshold = owed[Math.min(count, owed.length) - 1];
    int dropped = 0;
    for (Iterator<TokenBucket> buckets = byCaller.values().iterator(); buckets.hasNext() && dropped < count; ) {
      if (buckets.next().owed(now) <= threshold) {
        buckets.remove();
        dropped++;
      }
    }
  }
}
