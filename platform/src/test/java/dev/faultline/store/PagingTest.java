package dev.faultline.store;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class PagingTest {

  /** Far more pages than a stack holds frames: composing them one onto the next overflows it. */
  private static final int MANY = 200_000;

  @Test
  void runsAsManyAsynchronousPagesAsThereAre(Vertx vertx) {
    AtomicInteger pages = new AtomicInteger();
    await(Paging.untilLast(() -> {
      Promise<Boolean> page = Promise.promise();
      vertx.runOnContext(x -> page.complete(pages.incrementAndGet() < MANY));
      return page.future();
    }));
    assertEquals(MANY, pages.get());
  }

  @Test
  void runsPagesThatAreReadyAtOnceWithoutRecursing() {
    AtomicInteger pages = new AtomicInteger();
    await(Paging.untilLast(() -> Future.succeededFuture(pages.incrementAndGet() < MANY)));
    assertEquals(MANY, pages.get());
  }

  @Test
  void stopsAtTheFirstPageThatFails(Vertx vertx) {
    AtomicInteger pages = new AtomicInteger();
    Future<Void> done = Paging.untilLast(() -> pages.incrementAndGet() == 3
        ? Future.failedFuture(new IllegalStateException("page 3 is unreadable"))
        : vertx.executeBlocking(() -> true));
    await(done.otherwiseEmpty());
    assertEquals("page 3 is unreadable", done.cause() == null ? "no failure" : done.cause().getMessage());
    assertEquals(3, pages.get());
  }
}
