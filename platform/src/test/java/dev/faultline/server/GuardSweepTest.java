package dev.faultline.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A guarded server with no connection keeps no sweep running: a thousand idle proxies would
 * otherwise wake their event loops every few hundred milliseconds each.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GuardSweepTest {

  private Vertx vertx;
  private Context context;
  private ConnectionGuard guard;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    server = call(() -> {
      guard = new ConnectionGuard(vertx, 60_000, 0);
      return guard.install(vertx.createHttpServer(ConnectionGuard.options()))
          .requestHandler(request -> request.response().end()).listen(0, "127.0.0.1");
    }).await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void theSweepRunsOnlyWhileTheServerHasConnections() throws Exception {
    assertFalse(sweeping(), "no connection yet: no sweep");
    try (RawConnection connection = new RawConnection(server.actualPort())) {
      awaitTrue(this::sweeping, "a connection came: its sweep runs");
    }
    awaitTrue(() -> !sweeping(), "the last connection closed: the sweep stopped");
    try (RawConnection again = new RawConnection(server.actualPort())) {
      awaitTrue(this::sweeping, "the next connection starts it again");
    }
  }

  private boolean sweeping() {
    try {
      return call(() -> Future.succeededFuture(guard.sweeping())).await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs {@code action} on the server's event loop, where the guard lives. */
  private <T> Future<T> call(Callable<Future<T>> action) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> {
      try {
        action.call().onComplete(done);
      } catch (Exception e) {
        done.fail(e);
      }
    });
    return done.future();
  }

  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("not within 5 s: " + what);
      }
      Thread.sleep(20);
    }
  }
}
