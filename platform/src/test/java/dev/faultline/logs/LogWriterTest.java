package dev.faultline.logs;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.logs.LogTesting.entry;
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
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The log writer: nothing lost under load, bounded under a failing database, old rows pruned. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LogWriterTest {

  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir
  Path dataDir;

  @Test
  void tenThousandRequestsLeaveTenThousandRows(Vertx vertx) {
    Faultline faultline = LogTesting.start(vertx, dataDir);
    try {
      WebClient admin = FaultlineHarness.client(vertx);
      int port = LogTesting.proxy(admin, faultline, new JsonObject().put("name", "load").put("provider", "mock"))
          .getInteger("port");
      HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(32));
      int total = 10_000;
      List<Future<Integer>> answers = new ArrayList<>(total);
      for (int i = 0; i < total; i++) {
        answers.add(http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI("/v1/chat/completions").putHeader("content-type", "application/json")
                .putHeader("authorization", "Bearer sk-load"))
            .compose(request -> request.send(Buffer.buffer(CHAT))
                .compose(response -> response.body().map(body -> response.statusCode()))));
      }
      await(Future.all(answers).timeout(60, TimeUnit.SECONDS));
      answers.forEach(a -> assertEquals(200, a.result(), "every request answered 200"));

      eventually("every entry to be written", () -> countRows(faultline.database()) == total,
          () -> countRows(faultline.database()) + " rows; writer " + health(admin, faultline));
      Row row = await(faultline.database().pool().query("SELECT count(DISTINCT request_id) FROM log_entries").execute())
          .iterator().next();
      assertEquals(total, row.getLong(0), "one row per request, none twice");
      JsonObject logs = health(admin, faultline).getJsonObject("logs");
      assertEquals(total, logs.getLong("written"), logs.encode());
      assertEquals(0L, logs.getLong("dropped"), logs.encode());
      assertEquals(0L, logs.getLong("failed"), logs.encode());
      assertEquals(0, logs.getInteger("pending"), logs.encode());
    } finally {
      await(faultline.stop());
    }
  }

  @Test
  void aFullQueueDropsAndCountsWhileTheDatabaseRefusesWritesAndProxiesKeepServing(Vertx vertx) {
    FaultlineConfig config = FaultlineHarness.config(dataDir)
        .withMonitoring(new FaultlineConfig.Monitoring(30, 1_000_000, 100, null, null)
            .withLogOverflow(FaultlineConfig.LogOverflow.DROP, 5_000));
    Faultline faultline = await(Faultline.start(vertx, config));
    try {
      WebClient admin = FaultlineHarness.client(vertx);
      int port = LogTesting.proxy(admin, faultline, new JsonObject().put("name", "busy").put("provider", "mock"))
          .getInteger("port");
      // The database refuses every new log row, as a full or read-only disk would.
      await(faultline.database().pool().query("CREATE TRIGGER refuse BEFORE INSERT ON log_entries "
          + "BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END").execute());

      long received = 1_000;
      for (int sent = 0; sent < received; sent += 50) {
        List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          answers.add(admin.post(port, "127.0.0.1", "/v1/chat/completions")
              .putHeader("authorization", "Bearer sk-x").putHeader("content-type", "application/json")
              .sendBuffer(Buffer.buffer(CHAT)));
        }
        for (Future<HttpResponse<Buffer>> answer : answers) {
          assertEquals(200, await(answer).statusCode(), "a proxy never waits for its log");
        }
      }
      eventually("every entry to be received", () -> logs(admin, faultline).getLong("received") == received,
          () -> logs(admin, faultline).encode());

      JsonObject health = health(admin, faultline);
      JsonObject logs = health.getJsonObject("logs");
      assertEquals("degraded", health.getString("status"), health.encode());
      assertEquals("failing", logs.getString("writer"), logs.encode());
      assertTrue(logs.getString("last_error").contains("simulated"), logs.encode());
      assertEquals(0L, logs.getLong("written"));
      assertTrue(logs.getInteger("pending") <= 100, "the queue is bounded: " + logs.encode());
      // Beyond the queue, at most one batch of it may have been given up (failed) rather than dropped.
      assertTrue(logs.getLong("dropped") >= received - 2 * 100, "what did not fit was counted: " + logs.encode());
      assertEquals(received, logs.getLong("dropped") + logs.getLong("failed") + logs.getInteger("pending"),
          "every entry is accounted for: " + logs.encode());
      String prometheus = await(admin.get(faultline.adminPort(), "127.0.0.1", "/metrics").send()).bodyAsString();
      assertTrue(prometheus.matches("(?s).*\nfaultline_log_entries_total\\{node=\"[^\"]+\",result=\"dropped\"} "
          + logs.getLong("dropped") + "(\\.0)?\n.*"), prometheus);

      await(faultline.database().pool().query("DROP TRIGGER refuse").execute());
      eventually("the writer to recover", () -> {
        JsonObject now = logs(admin, faultline);
        return now.getInteger("pending") == 0 && "ok".equals(now.getString("writer"));
      }, () -> logs(admin, faultline).encode());
      JsonObject after = logs(admin, faultline);
      assertEquals(received, after.getLong("written") + after.getLong("dropped") + after.getLong("failed"),
          after.encode());
      assertEquals(after.getLong("written"), countRows(faultline.database()), "what was counted written is there");
      assertTrue(after.getLong("written") > 0, after.encode());
    } finally {
      await(faultline.stop());
    }
  }

  @Test
  void rowsBeyondTheRetentionArePrunedByAgeAndByCount(Vertx vertx) {
    Database database = await(Database.open(vertx, dataDir.resolve("faultline.db")));
    try {
      long now = System.currentTimeMillis();
      List<JsonObject> rows = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        rows.add(entry("prx_a", now - Duration.ofDays(40).toMillis() + i, 200, "old", null, null));
      }
      for (int i = 0; i < 12_000; i++) {
        rows.add(entry("prx_a", now - 12_000 + i, 200, "new", null, null));
      }
      LogTesting.insert(database.file(), rows);

      String deployment = await(vertx.deployVerticle(new LogWriterVerticle(new LogFeed(), database.file(), 100, 30, 10_500)));
      eventually("pruning to 10,500 rows", () -> countRows(database) == 10_500, () -> countRows(database) + " rows");
      await(vertx.undeploy(deployment));

      Row kept = await(database.pool().query("SELECT min(ts), max(ts), count(*) FILTER (WHERE model = 'old') "
          + "FROM log_entries").execute()).iterator().next();
      assertEquals(0L, kept.getLong(2), "rows older than 30 days are gone");
      assertEquals(now - 10_500, kept.getLong(0), "the newest 10,500 are kept");
      assertEquals(now - 1, kept.getLong(1));
    } finally {
      await(database.close());
    }
  }

  /**
   * The writer copies SQLite's WAL back beside its inserts; the WAL must still start over, or a
   * log under constant load grows it without end (it did: 570 MB after two million rows).
   */
  @Test
  void theWalStaysSmallWhileTheLogIsWrittenWithoutPause(Vertx vertx) throws Exception {
    Database database = await(Database.open(vertx, dataDir.resolve("faultline.db")));
    await(database.close());
    LogFeed feed = new LogFeed();
    LogWriterVerticle writer = new LogWriterVerticle(feed, database.file(), 50_000, 0, 0);
    String deployment = await(vertx.deployVerticle(writer));
    Path wal = dataDir.resolve("faultline.db-wal");
    int rows = 12 * LogWriterVerticle.CHECKPOINT_EVERY_ROWS;
    long largest = 0;
    long now = System.currentTimeMillis();
    for (int sent = 0; sent < rows; ) {
      // Never more waiting than the queue holds: nothing is dropped, the writer never pauses.
      while (sent < rows && sent - writer.stats().written() < 20_000) {
        feed.offer(LogEntry.fromJson(entry("prx_w" + sent % 7, now + sent, 200, "m", null, null)));
        sent++;
      }
      largest = Math.max(largest, Files.exists(wal) ? Files.size(wal) : 0);
      Thread.sleep(5);
    }
    long written = rows;
    eventually("every row written", () -> writer.stats().written() == written, () -> writer.stats().toJson().encode());
    await(vertx.undeploy(deployment));
    // 120,000 rows are some 35 MB of WAL when it never starts over; about 4 MB when it does.
    assertTrue(largest < 16L << 20, "the WAL reached " + largest + " bytes");
    assertEquals(0, writer.stats().dropped());
  }

  private static long countRows(Database database) {
    return await(database.pool().query("SELECT count(*) FROM log_entries").execute()).iterator().next().getLong(0);
  }

  private static JsonObject health(WebClient client, Faultline faultline) {
    return await(client.get(faultline.adminPort(), "127.0.0.1", "/healthz").send()).bodyAsJsonObject();
  }

  private static JsonObject logs(WebClient client, Faultline faultline) {
    return health(client, faultline).getJsonObject("logs");
  }
}
