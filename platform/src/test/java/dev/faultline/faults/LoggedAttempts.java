package dev.faultline.faults;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Counts what an SDK really sent: every request a proxy served is one entry on
 * {@code faultline.log}, so a client's retries show up as entries, with their times.
 */
final class LoggedAttempts {

  private final List<JsonObject> logged = new CopyOnWriteArrayList<>();
  private final MessageConsumer<JsonObject> consumer;

  private LoggedAttempts(Vertx vertx) {
    this.consumer = vertx.eventBus().consumer("faultline.log", message -> logged.add(message.body()));
  }

  static LoggedAttempts listen(Vertx vertx) {
    LoggedAttempts attempts = new LoggedAttempts(vertx);
    await(attempts.consumer.completion());
    return attempts;
  }

  void close() {
    await(consumer.unregister());
  }

  /** The proxy's log entries once {@code count} are in; the SDK has returned, so no more can come. */
  List<JsonObject> of(String proxyId, int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      List<JsonObject> mine = logged.stream().filter(e -> proxyId.equals(e.getString("proxy_id"))).toList();
      if (mine.size() >= count || System.nanoTime() > deadline) {
        assertEquals(count, mine.size(), "attempts logged: " + mine);
        return mine;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Each attempt came at least {@code seconds} after the one before: only honouring retry-after explains it. */
  static void assertWaited(List<JsonObject> attempts, int seconds) {
    for (int i = 1; i < attempts.size(); i++) {
      long gap = Duration.between(Instant.parse(attempts.get(i - 1).getString("ts")),
          Instant.parse(attempts.get(i).getString("ts"))).toMillis();
      assertTrue(gap >= seconds * 1000L - 100, "attempt " + (i + 1) + " came " + gap
          + " ms after the previous one; retry-after asked for " + seconds + " s");
    }
  }
}
