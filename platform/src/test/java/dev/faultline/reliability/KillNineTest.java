package dev.faultline.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.testing.FaultlineProcess;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of a load, then a restart over the same data folder: the
 * database opens cleanly, the proxies that ran run again, and the log lost at most what the
 * writer had not written yet (documented: at most one batch of 1,000 entries).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KillNineTest {

  private static final int CALLERS = 16;
  private static final int AT_MOST_LOST = 1_000;
  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  /** A request that failed while Faultline still ran: must stay null. */
  private static final AtomicReference<String> FAILED_BEFORE_KILL = new AtomicReference<>();

  @TempDir
  Path dir;

  @Test
  void aKilledFaultlineComesBackWhole(Vertx vertx) throws Exception {
    Path data = dir.resolve("data");
    int proxyPort = FaultlineHarness.freePort();
    AtomicInteger answered = new AtomicInteger();
    AtomicInteger sent = new AtomicInteger();
    try (FaultlineProcess first = FaultlineProcess.start(data, Map.of())) {
      post(first, "/api/proxies", new JsonObject().put("name", "survivor").put("provider", "mock")
          .put("port", proxyPort).put("cache", new JsonObject().put("enabled", true)));

      HttpClient http = vertx.createHttpClient();
      AtomicBoolean loading = new AtomicBoolean(true);
      List<Future<Void>> callers = new ArrayList<>();
      for (int i = 0; i < CALLERS; i++) {
        Promise<Void> done = Promise.promise();
        call(http, proxyPort, i, loading, sent, answered, done);
        callers.add(done.future());
      }
      // Killed in full flight: once a few hundred answers went through, with requests still open.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (answered.get() < 300 && FAILED_BEFORE_KILL.get() == null && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      loading.set(false);
      first.kill();
      Future.join(callers).await(20, TimeUnit.SECONDS);
      http.close();
    }
    assertEquals(null, FAILED_BEFORE_KILL.get(), "a request failed before the kill");
    assertTrue(answered.get() >= 300, "the load ran before the kill: " + answered.get() + " answers");

    try (FaultlineProcess second = FaultlineProcess.start(data, Map.of())) {
      JsonObject health = new JsonObject(second.get("/healthz").body());
      assertEquals("ok", health.getString("db"), health.encode());
      assertEquals("ok", integrityCheck(data), "the database file after kill -9");
      // The proxy that ran runs again, on its port, by itself.
      HttpResponse<String> restored = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + proxyPort + "/v1/chat/completions"))
          .header("content-type", "application/json").header("authorization", "Bearer sk-test")
          .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, restored.statusCode(), restored.body());

      long rows = rows(data) - 1;   // less the request just above
      assertTrue(rows >= answered.get() - AT_MOST_LOST && rows <= sent.get(),
          "log rows " + rows + " for " + answered.get() + " answered of " + sent.get() + " sent");
    }
  }

  /** One caller: a request after the other until told to stop (the kill comes right after) or one fails. */
  private static void call(HttpClient http, int port, int caller, AtomicBoolean loading, AtomicInteger sent,
                           AtomicInteger answered, Promise<Void> done) {
    if (!loading.get()) {
      done.complete();
      return;
    }
    sent.incrementAndGet();
    String body = CHAT.replace("hi", "hi " + caller + " " + sent.get() % 50);
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
            .setURI("/v1/chat/completions").addHeader("content-type", "application/json")
            .addHeader("authorization", "Bearer sk-test"))
        .compose(request -> request.send(Buffer.buffer(body))
            .compose(response -> response.body().map(response.statusCode())))
        .onComplete(result -> {
          if (result.succeeded() && result.result() == 200) {
            answered.incrementAndGet();
            call(http, port, caller, loading, sent, answered, done);
          } else {
            if (loading.get()) {
              FAILED_BEFORE_KILL.compareAndSet(null, result.succeeded() ? "HTTP " + result.result()
                  : result.cause().toString());
            }
            done.complete();
          }
        });
  }

  private static void post(FaultlineProcess faultline, String path, JsonObject body) throws Exception {
    HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + faultline.adminPort + path))
        .header("content-type", "application/json")
        .header("Authorization", dev.faultline.FaultlineHarness.adminAuthorization()).POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, response.statusCode(), response.body());
  }

  private static String integrityCheck(Path data) throws SQLException {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("faultline.db"));
         ResultSet check = db.createStatement().executeQuery("PRAGMA integrity_check")) {
      return check.getString(1);
    }
  }

  private static long rows(Path data) throws SQLException {
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("faultline.db"));
         ResultSet count = db.createStatement().executeQuery("SELECT count(*) FROM log_entries")) {
      return count.getLong(1);
    }
  }
}
