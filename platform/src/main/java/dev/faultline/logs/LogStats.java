package dev.faultline.logs;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What became of the log entries the writer received: written, still waiting, dropped at a full
 * queue, or failed (given up after retries). {@code received = written + pending + dropped + failed}
 * at every quiet moment. Read from any thread (health check, metrics); written by the writer only.
 */
public final class LogStats {

  final AtomicLong received = new AtomicLong();
  final AtomicLong written = new AtomicLong();
  final AtomicLong dropped = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  volatile int pending;
  volatile String lastError;
  /** Epoch ms since when writes fail, 0 while they succeed. */
  volatile long failingSince;

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

  /** Whether the latest write to the database failed. */
  public boolean failing() {
    return failingSince != 0;
  }

  /** {@code {"received", "written", "pending", "dropped", "failed", "writer", "last_error"}}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("received", received())
        .put("written", written())
        .put("pending", pending())
        .put("dropped", dropped())
        .put("failed", failed())
        .put("writer", failing() ? "failing" : "ok");
    if (lastError != null) {
      json.put("last_error", lastError);
    }
    return json;
  }
}
