package dev.faultline.plugins.mock;

import dev.faultline.plugin.api.BufferStream;
import io.vertx.core.Vertx;
import java.util.function.Consumer;

/**
 * Writes a streamed completion into its body one round at a time, each round due one interval
 * after the previous. Rounds are scheduled against their due time, not chained delays, so timer
 * jitter does not add up and a pace above 1000 tokens/s still holds (several rounds per tick).
 */
final class Playback {

  private final Vertx vertx;
  private final Completion completion;
  private final BufferStream out;
  private final long intervalNanos;
  private final Consumer<Playback> onDone;
  private long start;
  private int next;
  private long timer = -1;
  private boolean stopped;

  /** @param tokensPerSecond 0 writes everything at once */
  Playback(Vertx vertx, Completion completion, BufferStream out, double tokensPerSecond, Consumer<Playback> onDone) {
    this.vertx = vertx;
    this.completion = completion;
    this.out = out;
    this.intervalNanos = tokensPerSecond > 0 ? Math.round(1e9 / tokensPerSecond) : 0;
    this.onDone = onDone;
  }

  void start() {
    completion.opening().forEach(out::write);
    start = System.nanoTime();
    pump();
  }

  /** Ends the body with {@code cause}, e.g. when the proxy stops mid-stream. */
  void cancel(Throwable cause) {
    if (stopped) {
      return;
    }
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    out.fail(cause);
  }

  private void pump() {
    timer = -1;
    if (stopped) {
      return;
    }
    long now = System.nanoTime();
    while (next < completion.rounds() && due(next) - now <= 0) {
      completion.round(next++).forEach(out::write);
    }
    if (next < completion.rounds()) {
      long waitMs = Math.max(1, (due(next) - now + 999_999) / 1_000_000);
      timer = vertx.setTimer(waitMs, id -> pump());
      return;
    }
    completion.closing().forEach(out::write);
    out.end();
    stopped = true;
    onDone.accept(this);
  }

  /** When round {@code r} is due: the first token takes one interval, like every later one. */
  private long due(int round) {
    return start + (round + 1) * intervalNanos;
  }
}
