package dev.faultline.logs;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.logs.LogTesting.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import dev.faultline.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 concurrent connections against a log queue of 200 whose writer is held up (another
 * connection keeps the database locked until the queue overflows): by default the proxies wait for the writer
 * and every answered request has its row; with {@code on_overflow: drop} entries are dropped,
 * counted, and {@code /healthz} says degraded.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LogBackpressureTest {

  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final int QUEUE = 200;
  private static final int CONNECTIONS = 1_000;
  private static final int REQUESTS = 2_000;

  @TempDir
  Path dataDir;

  @Test
  void byDefaultTheProxiesWaitForTheWriterAndNoEntryIsLost(Vertx vertx) throws Exception {
    Faultline faultline = start(vertx, FaultlineConfig.LogOverflow.BACKPRESSURE);
    try {
      WebClient admin = FaultlineHarness.client(vertx);
      // What /healthz said while the database was still locked, so the writer still behind (a
      // watcher polling beside the load could miss a hold that ends within its period).
      JsonObject whileLocked = load(vertx, faultline, admin);
      boolean held = whileLocked.getBoolean("holding_requests");

      eventually("every entry to be written", () -> rows(faultline.database()) == REQUESTS,
          () -> rows(faultline.database()) + " rows; " + logs(admin, faultline).encode());
      JsonObject logs = logs(admin, faultline);
      assertEquals(0L, logs.getLong("dropped"), logs.encode());
      assertEquals((long) REQUESTS, logs.getLong("written"), logs.encode());
      assertTrue(held, "the proxies were held while the writer was behind: " + whileLocked.encode());
      assertEquals("backpressure", logs.getString("on_overflow"), logs.encode());
      assertEquals("ok", health(admin, faultline).getString("status"), "caught up: healthy again");
    } finally {
      await(faultline.stop());
    }
  }

  @Test
  void inDropModeWhatDidNotFitIsCountedAndHealthSaysDegraded(Vertx vertx) throws Exception {
    Faultline faultline = start(vertx, FaultlineConfig.LogOverflow.DROP);
    try {
      WebClient admin = FaultlineHarness.client(vertx);
      load(vertx, faultline, admin);

      eventually("every entry to be written or dropped", () -> {
        JsonObject logs = logs(admin, faultline);
        return logs.getLong("written") + logs.getLong("dropped") == REQUESTS;
      }, () -> logs(admin, faultline).encode());
      JsonObject health = health(admin, faultline);
      JsonObject logs = health.getJsonObject("logs");
      assertTrue(logs.getLong("dropped") > 0, logs.encode());
      assertEquals(logs.getLong("written"), rows(faultline.database()), logs.encode());
      assertEquals("degraded", health.getString("status"), health.encode());
      assertTrue(logs.getBoolean("dropping"), logs.encode());
      assertEquals("drop", logs.getString("on_overflow"), logs.encode());
    } finally {
      await(faultline.stop());
    }
  }

  private Faultline start(Vertx vertx, FaultlineConfig.LogOverflow overflow) {
    FaultlineConfig.Monitoring monitoring = new FaultlineConfig.Monitoring(0, 0, QUEUE, null, null)
        .withLogOverflow(overflow, 30_000);
    return await(Faultline.start(vertx, FaultlineHarness.config(dataDir).withMonitoring(monitoring)));
  }

  /**
   * {@value #REQUESTS} requests over {@value #CONNECTIONS} connections while the database is locked for a while; all
   * answered 200. The writer's part of {@code /healthz} as it was when the lock was let go.
   */
  private static JsonObject load(Vertx vertx, Faultline faultline, WebClient admin) throws Exception {
    int port = LogTesting.proxy(admin, faultline, new JsonObject().put("name", "load").put("provider", "mock"))
        .getInteger("port");
    CompletableFuture<Void> locked = new CompletableFuture<>();
    AtomicReference<JsonObject> atRelease = new AtomicReference<>();
    // Locked until the queue has overflowed (proxies held, or entries dropped), however fast this machine sends.
    Thread locker = new Thread(() -> lockUntil(faultline.database().file(), locked, () -> {
      JsonObject logs = logs(admin, faultline);
      atRelease.set(logs);
      return logs.getLong("holds") > 0 || logs.getLong("dropped") > 0;
    }), "db-locker");
    locker.start();
    locked.get(10, TimeUnit.SECONDS);

    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(CONNECTIONS).setMaxWaitQueueSize(-1));
    List<Future<Integer>> answers = new ArrayList<>(REQUESTS);
    for (int i = 0; i < REQUESTS; i++) {
      answers.add(http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
              .setURI("/v1/chat/completions").putHeader("content-type", "application/json")
              .putHeader("authorization", "Bearer sk-load"))
          .compose(request -> request.send(Buffer.buffer(CHAT))
              .compose(response -> response.body().map(body -> response.statusCode()))));
    }
    await(Future.join(answers).timeout(60, TimeUnit.SECONDS).otherwiseEmpty());
    locker.join(10_000);
    for (Future<Integer> answer : answers) {
      assertTrue(answer.succeeded(), "every request answered: " + answer.cause());
      assertEquals(200, answer.result(), "every request answered 200");
    }
    await(http.close());
    return atRelease.get();
  }

  /** Holds the database's write lock, as a long export or a slow disk would, until {@code overflowed} (20 s at most). */
  private static void lockUntil(Path file, CompletableFuture<Void> locked, BooleanSupplier overflowed) {
    try (Connection connection = Database.dedicatedDataSource(file).getConnection();
         Statement statement = connection.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      locked.complete(null);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!overflowed.getAsBoolean() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      statement.execute("COMMIT");
    } catch (SQLException | InterruptedException e) {
      locked.completeExceptionally(e);
    }
  }

  private static long rows(Database database) {
    return await(database.pool().query("SELECT count(*) FROM log_entries").execute()).iterator().next().getLong(0);
  }

  private static JsonObject health(WebClient client, Faultline faultline) {
    return await(client.get(faultline.adminPort(), "127.0.0.1", "/healthz").send()).bodyAsJsonObject();
  }

  private static JsonObject logs(WebClient client, Faultline faultline) {
    return health(client, faultline).getJsonObject("logs");
  }
}
