package dev.faultline.cache;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/** One proxy's cache counters since Faultline started. Thread-safe. */
final class CacheCounters {

  final LongAdder hits = new LongAdder();
  final LongAdder misses = new LongAdder();
  final LongAdder bypasses = new LongAdder();
  /** Answers that were storable but too big to keep. */
  final LongAdder tooBig = new LongAdder();
  /** Lookups the database failed; each was served as a miss. */
  private final LongAdder lookupErrors = new LongAdder();
  /** Entries the database refused to store (locked, disk full); each was still served. */
  private final LongAdder storeErrors = new LongAdder();
  private final Instant since = Instant.now();
  /** When the database last failed this proxy's cache (epoch ms), 0 if never: for /healthz. */
  private volatile long lastErrorAt;

  void lookupFailed() {
    lookupErrors.increment();
    lastErrorAt = System.currentTimeMillis();
  }

  void storesFailed(int count) {
    storeErrors.add(count);
    lastErrorAt = System.currentTimeMillis();
  }

  long lastErrorAt() {
    return lastErrorAt;
  }

  long errors() {
    return lookupErrors.sum() + storeErrors.sum();
  }

  void count(String status) {
    switch (status) {
      case CacheInterceptor.HIT -> hits.increment();
      case CacheInterceptor.MISS -> misses.increment();
      default -> bypasses.increment();
    }
  }

  JsonObject toJson() {
    long hit = hits.sum();
    long miss = misses.sum();
    return new JsonObject()
        .put("since", since.toString())
        .put("hits", hit)
        .put("misses", miss)
        .put("bypasses", bypasses.sum())
        .put("hit_rate", hit + miss == 0 ? null : (double) hit / (hit + miss))
        .put("too_big", tooBig.sum())
        .put("lookup_errors", lookupErrors.sum())
        .put("store_errors", storeErrors.sum());
  }
}
