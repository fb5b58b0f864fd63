package dev.faultline.reliability;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.logs.LogTesting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 requests at once across 20 proxies with faults and the cache on: every request is
 * answered the way its proxy was told to answer, and every answer has exactly one log row.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ManyProxiesUnderLoadTest {

  private static final int PROXIES = 20;
  private static final int REQUESTS = 1_000;

  @TempDir
  Path dir;

  @Test
  void everyRequestIsAnsweredAndLoggedOnce(Vertx vertx) throws Exception {
    Faultline faultline = await(Faultline.start(vertx, FaultlineHarness.config(dir.resolve("data"))
        .withMonitoring(LogTesting.monitoring(dir, null))));
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(REQUESTS / PROXIES));
    try {
      WebClient client = FaultlineHarness.client(vertx);
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < PROXIES; i++) {
        ports.add(LogTesting.proxy(client, faultline, new JsonObject().put("name", "load" + i).put("provider", "mock")
                .put("port", FaultlineHarness.freePort())
                .put("cache", new JsonObject().put("enabled", true))
                .put("fault_options", new JsonObject().put("seed", i))
                .put("faults", new JsonArray()
                    .add(new JsonObject().put("strategy", "http-error").put("rate", 0.1)
                        .put("params", new JsonObject().put("status", 503)))
                    .add(new JsonObject().put("strategy", "latency")
                        .put("params", new JsonObject().put("distribution", "uniform").put("min_ms", 1)
                            .put("max_ms", 20)))))
            .getInteger("port"));
      }

      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < REQUESTS; i++) {
        int port = ports.get(i % PROXIES);
        // Ten distinct prompts per proxy: misses and hits (and coalesced waits) mixed.
        String body = new JsonObject().put("model", "gpt-4o-mini").put("messages", new JsonArray()
            .add(new JsonObject().put("role", "user").put("content", "question " + (i / PROXIES) % 10))).encode();
        answers.add(http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI("/v1/chat/completions").addHeader("content-type", "application/json")
                .addHeader("authorization", "Bearer sk-load"))
            .compose(request -> request.send(Buffer.buffer(body)).compose(response -> response.body().map(b -> {
              assertTrue(b.toJsonObject().containsKey(response.statusCode() == 200 ? "choices" : "error"),
                  "a whole answer in OpenAI's shape: " + b);
              return response.statusCode();
            }))));
      }
      Future.all(answers).await(90, TimeUnit.SECONDS);
      Map<Integer, Long> byStatus = answers.stream()
          .collect(Collectors.groupingBy(Future::result, TreeMap::new, Collectors.counting()));
      assertEquals(List.of(200, 503), List.copyOf(byStatus.keySet()), "only answers and the injected fault: " + byStatus);

      // One row per answer, the injected faults among them: nothing dropped, nothing written twice.
      LogTesting.eventually("a log row for each of the " + REQUESTS + " answers",
          () -> rows(faultline, "") >= REQUESTS, () -> "rows: " + rows(faultline, ""));
      assertEquals(REQUESTS, rows(faultline, ""), "no answer logged twice");
      assertEquals(byStatus.get(503).longValue(), rows(faultline, " WHERE status = 503"));
    } finally {
      http.close();
      await(faultline.stop());
    }
  }

  /** Rows in the real database file, read as another program would. */
  private static long rows(Faultline faultline, String where) {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + faultline.database().file());
         ResultSet count = connection.createStatement().executeQuery("SELECT count(*) FROM log_entries" + where)) {
      return count.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError("cannot count the log rows", e);
    }
  }
}
