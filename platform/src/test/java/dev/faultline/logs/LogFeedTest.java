package dev.faultline.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The hand-over of this node's entries to the writer and the metrics. */
@ExtendWith(VertxExtension.class)
class LogFeedTest {

  private static final int PRODUCERS = 4;
  private static final int EACH = 20_000;

  @Test
  void everyEntryFromManyThreadsReachesEverySubscriberOnItsContextInEachProducersOrder(Vertx vertx,
                                                                                       VertxTestContext test) {
    LogFeed feed = new LogFeed();
    Checkpoint bothComplete = test.checkpoint(2);
    for (int i = 0; i < 2; i++) {
      Context context = vertx.getOrCreateContext();
      List<LogEntry> received = new ArrayList<>();
      feed.subscribe(context, batch -> {
        test.verify(() -> assertSame(context, Vertx.currentContext(), "a batch arrives on its subscriber's context"));
        received.addAll(batch);
        if (received.size() == PRODUCERS * EACH) {
          test.verify(() -> inProducersOrder(received));
          bothComplete.flag();
        }
      });
    }
    for (int p = 0; p < PRODUCERS; p++) {
      String producer = "prx_" + p;
      new Thread(() -> {
        for (int n = 0; n < EACH; n++) {
          LogEntry entry = new LogEntry();
          entry.proxyId = producer;
          entry.ts = n;
          feed.offer(entry);
        }
      }).start();
    }
  }

  private static void inProducersOrder(List<LogEntry> entries) {
    long[] next = new long[PRODUCERS];
    for (LogEntry entry : entries) {
      int producer = Integer.parseInt(entry.proxyId().substring(4));
      assertEquals(next[producer]++, entry.ts(), "each producer's entries arrive in the order offered");
    }
    for (long count : next) {
      assertEquals(EACH, count, "none lost, none twice");
    }
  }

  @Test
  void cancellingHandsOverWhatWasQueuedAndTakesNothingAfter(Vertx vertx) throws Exception {
    LogFeed feed = new LogFeed();
    Context context = vertx.getOrCreateContext();
    List<LogEntry> received = new ArrayList<>();
    CountDownLatch cancelled = new CountDownLatch(1);
    LogFeed.Subscription[] subscription = new LogFeed.Subscription[1];
    context.runOnContext(v -> {
      subscription[0] = feed.subscribe(context, received::addAll);
      // Offered on the subscriber's own context: the drain is queued behind this task.
      for (int i = 0; i < 3; i++) {
        feed.offer(new LogEntry());
      }
      subscription[0].cancel();
      feed.offer(new LogEntry());
      cancelled.countDown();
    });
    assertTrue(cancelled.await(10, TimeUnit.SECONDS), "the context ran the task");
    CountDownLatch later = new CountDownLatch(1);
    context.runOnContext(v -> later.countDown());
    assertTrue(later.await(10, TimeUnit.SECONDS), "the context ran what was queued");
    assertEquals(3, received.size(), "the three queued before the cancel, not the one after: " + received.size());
  }
}
