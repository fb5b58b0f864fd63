package dev.faultline.logs;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What became of the log entries the writer received: written, still waiting, dropped at a full
 * queue, or failed (given up after retries). {@code received = written + pending + dropped + failed}
 * at every quiet moment. Read from any thread (health check, metrics); written by the writer only.
 */
public final class LogStats {

  /** How long after a drop {@code /healthz} still says degraded. */
  static final long DROP_MEMORY_MS = 60_000;

  final AtomicLong received = new AtomicLong();
  final AtomicLong written = new AtomicLong();
  final AtomicLong dropped = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  volatile int pending;
  volatile String lastError;
  /** Epoch ms since when writes fail, 0 while they succeed. */
  volatile long failingSince;
  /** Epoch ms of the latest drop, 0 before any. */
  volatile long lastDropAt;
  /** Epoch ms the oldest entry still waiting was queued, 0 while none waits. */
  volatile long oldestQueuedAt;
  /** Whether the proxies are held until the writer catches up. */
  volatile boolean holding;
  /** How many times the proxies were told to hold new requests. */
  volatile long holds;
  /** What a full queue does, as configured: "backpressure" or "drop". */
  volatile String onOverflow = "backpressure";
  /** Lag beyond which the writer is reported behind; 0 never. */
  volatile long maxLagMillis;

  public long received() {
    return received.get();
  }

  public long written() {
    return written.get();
  }

  public long dropped() {
    return dropped.get();
  }

  public long failed() {
    return failed.get();
  }

  public int pending() {
    return pending;
  }

  /** How many times the proxies were told to hold new requests until the writer caught up. */
  public long holds() {
    return holds;
  }

  /** How long the oldest entry still waiting has waited; 0 while none waits. */
  public long lagMillis() {
    long oldest = oldestQueuedAt;
    return oldest == 0 ? 0 : Math.max(0, System.currentTimeMillis() - oldest);
  }

  /** Whether an entry was dropped in the last minute. */
  public boolean droppingRecently() {
    long last = lastDropAt;
    return last != 0 && System.currentTimeMillis() - last < DROP_MEMORY_MS;
  }

  /** Whether the writer is behind by more than the configured lag. */
  public boolean lagging() {
    return maxLagMillis > 0 && lagMillis() > maxLagMillis;
  }

  /** Writes succeed, nothing was dropped lately and the writer is not behind. */
  public boolean healthy() {
    return !failing() && !droppingRecently() && !lagging();
  }

  /** Whether the latest write to the database failed. */
  public boolean failing() {
    return failingSince != 0;
  }

  /**
   * {@code {"received", "written", "pending", "dropped", "failed", "writer" (ok, lagging, failing),
   * "lag_ms", "on_overflow", "holding_requests", "holds", "dropping" (in the last minute), "last_error"}}.
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("received", received())
        .put("written", written())
        .put("pending", pending())
        .put("dropped", dropped())
        .put("failed", failed())
        .put("writer", failing() ? "failing" : lagging() ? "lagging" : "ok")
        .put("lag_ms", lagMillis())
        .put("on_overflow", onOverflow)
        .put("holding_requests", holding)
        .put("holds", holds)
        .put("dropping", droppingRecently());
    if (lastError != null) {
      json.put("last_error", lastError);
    }
    return json;
  }
}
