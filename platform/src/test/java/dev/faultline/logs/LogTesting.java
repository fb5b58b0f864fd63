package dev.faultline.logs;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Starting a Faultline for the monitoring tests, and reading its logs back through the API. */
public final class LogTesting {

  /** A price table of made-up models with round prices, so expected costs are easy to check. */
  public static final String TEST_PRICES = """
      models:
        test-model:   {input: 1000, cached_input: 500, output: 2000}
        gpt-4o-mini:  {input: 100,  output: 400}
      """;

  private LogTesting() {
  }

  /**
   * Monitoring settings with the test price table written into {@code dir}, and no retention, so
   * that entries a test dates in the past stay.
   */
  public static FaultlineConfig.Monitoring monitoring(Path dir, Integer tcpBridgePort) {
    return new FaultlineConfig.Monitoring(0, 0, 50_000, tcpBridgePort, write(dir.resolve("prices.yaml"),
        TEST_PRICES));
  }

  public static Faultline start(Vertx vertx, Path dataDir) {
    return await(Faultline.start(vertx, FaultlineHarness.config(dataDir).withMonitoring(monitoring(dataDir, null))));
  }

  public static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code GET /api/logs?query}: the page as JSON; fails unless 200. */
  public static JsonObject logs(WebClient client, Faultline faultline, String query) {
    return await(client.get(faultline.adminPort(), "127.0.0.1", "/api/logs" + (query.isEmpty() ? "" : "?" + query))
        .send().map(r -> expect(r, 200).bodyAsJsonObject()));
  }

  /** Waits (10 s at most) until {@code GET /api/logs?query} lists {@code count} entries, and returns them. */
  public static List<JsonObject> awaitEntries(WebClient client, Faultline faultline, String query, int count) {
    JsonArray[] last = {new JsonArray()};
    eventually("the log to hold " + count + " entries for '" + query + "'", () -> {
      last[0] = logs(client, faultline, query + (query.isEmpty() ? "" : "&") + "limit=1000").getJsonArray("entries");
      return last[0].size() >= count;
    }, () -> "last seen: " + last[0].encodePrettily());
    return last[0].stream().map(JsonObject.class::cast).toList();
  }

  /** Polls {@code condition} every 20 ms for 10 s; fails with {@code what} and the state {@code detail} gives. */
  public static void eventually(String what, BooleanSupplier condition, Supplier<String> detail) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; " + detail.get());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  /** A log entry as the listener publishes it, with the fields the filters look at set. */
  public static JsonObject entry(String proxyId, long ts, int status, String model, String cache, String fault) {
    JsonObject entry = new JsonObject();
    for (LogField field : LogField.values()) {
      entry.putNull(field.key());
    }
    return entry.put("ts", Instant.ofEpochMilli(ts).toString()).put("proxy_id", proxyId)
        .put("request_id", "req_" + UUID.randomUUID().toString().replace("-", "")).put("client_ip", "127.0.0.1")
        .put("method", "POST").put("path", "/v1/chat/completions").put("model", model).put("stream", false)
        .put("status", status).put("outcome", "completed").put("latency_ms", 12.5).put("cache_status", cache)
        .put("fault", fault).put("usage_estimated", false).put("cost_source", "no_usage").put("bytes_in", 100)
        .put("bytes_out", 200);
  }

  /** Writes entries straight into the database file, as the log writer would (blocking; for seeding tests). */
  public static void insert(Path databaseFile, List<JsonObject> entries) {
    try (LogSink sink = LogSink.open(databaseFile)) {
      sink.insert(entries.stream().map(LogEntry::fromJson).toList());
    } catch (SQLException e) {
      throw new IllegalStateException("cannot seed the log", e);
    }
  }

  /** Creates a proxy; fails unless 201. */
  public static JsonObject proxy(WebClient client, Faultline faultline, JsonObject definition) {
    return await(FaultlineHarness.createProxy(client, faultline, definition));
  }
}
