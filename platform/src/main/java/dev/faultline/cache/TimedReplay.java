package dev.faultline.cache;

import dev.faultline.plugin.api.BufferStream;
import io.vertx.core.Vertx;

/**
 * Writes a cached stream's events at the gaps they first arrived with. Each event is due at its
 * recorded offset from the start, not a delay after the previous one, so timer jitter does not
 * add up over a long stream. Runs on the caller's event loop.
 */
final class TimedReplay {

  private final Vertx vertx;
  private final CacheEntry entry;
  private final BufferStream out;
  private long startNanos;
  private int next;
  private int written;
  private long timer = -1;
  private boolean stopped;

  TimedReplay(Vertx vertx, CacheEntry entry, BufferStream out) {
    this.vertx = vertx;
    this.entry = entry;
    this.out = out;
  }

  void start() {
    startNanos = System.nanoTime();
    pump();
  }

  /** The caller went away: no more timers. */
  void cancel() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void pump() {
    timer = -1;
    if (stopped) {
      return;
    }
    long elapsed = (System.nanoTime() - startNanos) / 1_000_000;
    while (next < entry.events().size() && entry.events().get(next).atMillis() <= elapsed) {
      int end = entry.events().get(next++).end();
      out.write(entry.body().slice(written, end));
      written = end;
    }
    if (next < entry.events().size()) {
      timer = vertx.setTimer(Math.max(1, entry.events().get(next).atMillis() - elapsed), id -> pump());
    } else {
      out.end();
    }
  }
}
