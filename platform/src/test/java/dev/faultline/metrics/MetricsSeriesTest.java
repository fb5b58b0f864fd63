package dev.faultline.metrics;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The charts' series, from real traffic through a real mock proxy: every step present, each
 * request counted in the step its log row falls in, faulted requests forming a fault window, the
 * faults change marked, and nobody seeing another's proxy.
 */
@ExtendWith(VertxExtension.class)
@Timeout(90)
class MetricsSeriesTest {

  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir
  Path dataDir;

  private Faultline faultline;
  private WebClient admin;
  private WebClient anonymous;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir)));
    admin = FaultlineHarness.client(vertx);
    anonymous = FaultlineHarness.anonymous(vertx);
    port = faultline.adminPort();
  }

  @AfterEach
  void stop() {
    if (faultline != null) {
      await(faultline.stop());
    }
  }

  @Test
  void everyStepCountsItsRequestsAndFaultedOnesMakeAWindowBesideTheFaultsChange() {
    JsonObject proxy = await(FaultlineHarness.createProxy(admin, faultline, new JsonObject().put("name", "charted")
        .put("provider", "mock").put("options", new JsonObject().put("completion_tokens", 8))));
    String id = proxy.getString("id");
    for (int i = 0; i < 5; i++) {
      expect(chat(proxy.getInteger("port")), 200);
    }
    long beforeFaults = System.currentTimeMillis();
    expect(await(admin.put(port, "127.0.0.1", "/api/proxies/" + id + "/faults").sendJson(new JsonArray()
        .add(new JsonObject().put("strategy", "http-error").put("rate", 1.0)
            .put("params", new JsonObject().put("status", 503))))), 200);
    long afterFaults = System.currentTimeMillis();
    for (int i = 0; i < 4; i++) {
      expect(chat(proxy.getInteger("port")), 503);
    }

    JsonObject series = until("/api/metrics/series?proxy=" + id + "&window=5m&step=5s",
        s -> sum(s, "requests") == 9 && s.getJsonArray("annotations").stream().map(JsonObject.class::cast)
            .anyMatch(a -> a.getString("kind").equals("faults.set")));
    assertEquals("5m", series.getString("window"));
    assertEquals(5, series.getLong("step_seconds"));
    long from = series.getLong("from");
    JsonArray points = series.getJsonArray("points");
    assertEquals(60, points.size(), "every step of 5 minutes by 5 seconds");
    assertEquals(from + 300_000, series.getLong("to"));
    for (int i = 0; i < points.size(); i++) {
      assertEquals(from + i * 5_000L, points.getJsonObject(i).getLong("t"), "step " + i);
    }

    // Where each request should be counted, from its own log row.
    List<JsonObject> entries = logs(id);
    assertEquals(9, entries.size());
    TreeMap<Integer, int[]> expected = new TreeMap<>();
    for (JsonObject entry : entries) {
      int step = (int) ((Instant.parse(entry.getString("ts")).toEpochMilli() - from) / 5_000);
      int[] counts = expected.computeIfAbsent(step, k -> new int[2]);
      counts[0]++;
      counts[1] += entry.getString("fault") == null ? 0 : 1;
    }
    for (int i = 0; i < points.size(); i++) {
      JsonObject point = points.getJsonObject(i);
      int[] counts = expected.getOrDefault(i, new int[2]);
      assertEquals(counts[0], point.getLong("requests"), "requests of step " + i + ": " + point);
      assertEquals(counts[1], point.getLong("faulted"), "faulted of step " + i);
      assertEquals(counts[1], point.getJsonObject("statuses").getLong("503", 0L), "503s of step " + i);
      assertEquals(counts[1], point.getLong("errors"), "errors of step " + i);
      assertEquals(counts[0] - counts[1], point.getJsonObject("status_classes").getLong("2xx"), "2xx of step " + i);
      assertEquals(counts[0] / 5.0, point.getDouble("rate"), 0.001, "rate of step " + i);
      if (counts[0] == 0) {
        assertNull(point.getValue("p50_ms"), "an empty step has no latency: " + point);
        assertEquals(0, point.getLong("tokens"));
        assertEquals(0, point.getJsonObject("status_classes").getLong("5xx"));
      } else {
        // Nearest rank over the step's own rows: the sorted latencies' ceil(p% of n)-th.
        int step = i;
        List<Double> latencies = entries.stream()
            .filter(e -> (Instant.parse(e.getString("ts")).toEpochMilli() - from) / 5_000 == step)
            .map(e -> e.getDouble("latency_ms")).sorted().toList();
        int n = latencies.size();
        assertEquals(latencies.get((n * 50 + 99) / 100 - 1), point.getDouble("p50_ms"), "p50 of step " + i);
        assertEquals(latencies.get((n * 95 + 99) / 100 - 1), point.getDouble("p95_ms"), "p95 of step " + i);
        assertEquals(latencies.get(n - 1), point.getDouble("p99_ms"), "p99 of step " + i + " (fewer than 100 rows)");
      }
    }
    assertEquals(5 * entries.get(entries.size() - 1).getLong("total_tokens"), sum(series, "tokens"),
        "the 200s' tokens (the 503s used none)");

    // The faulted requests' steps, and nothing else, make the window.
    JsonArray windows = series.getJsonArray("fault_windows");
    int firstFaulted = expected.entrySet().stream().filter(e -> e.getValue()[1] > 0).findFirst().orElseThrow().getKey();
    int lastFaulted = expected.descendingMap().entrySet().stream().filter(e -> e.getValue()[1] > 0).findFirst()
        .orElseThrow().getKey();
    JsonObject window = windows.getJsonObject(0);
    assertEquals(1, windows.size(), windows.encode());
    assertEquals(id, window.getString("proxy"));
    assertEquals(new JsonArray().add("http-error"), window.getJsonArray("strategies"));
    assertEquals(from + firstFaulted * 5_000L, window.getLong("from"));
    if (lastFaulted == 59) {
      assertNull(window.getValue("to"), "a window reaching the current step is still open");
    } else {
      assertEquals(from + (lastFaulted + 1) * 5_000L, window.getLong("to"));
    }

    JsonObject mark = series.getJsonArray("annotations").stream().map(JsonObject.class::cast)
        .filter(a -> a.getString("kind").equals("faults.set")).findFirst().orElseThrow();
    assertEquals(id, mark.getString("proxy"));
    assertTrue(mark.getLong("t") >= beforeFaults && mark.getLong("t") <= afterFaults + 5_000, mark.encode());
    assertEquals("Faults changed by " + FaultlineHarness.ADMIN_EMAIL, mark.getString("text"));
    assertTrue(series.getJsonArray("annotations").stream().map(JsonObject.class::cast)
        .anyMatch(a -> a.getString("kind").equals("proxy.create")), series.getJsonArray("annotations").encode());

    // All proxies (an admin's view) count the same traffic, with the default step of 1h.
    JsonObject all = expect(await(admin.get(port, "127.0.0.1", "/api/metrics/series").send()), 200).bodyAsJsonObject();
    assertEquals("1h", all.getString("window"));
    assertEquals(30, all.getLong("step_seconds"));
    assertEquals(120, all.getJsonArray("points").size());
    assertEquals(9, sum(all, "requests"));
  }

  @Test
  void someoneElsesProxyIsMissingAndTheirOwnSeriesHoldsNoneOfIt() {
    JsonObject proxy = await(FaultlineHarness.createProxy(admin, faultline, new JsonObject().put("name", "admins")
        .put("provider", "mock")));
    expect(chat(proxy.getInteger("port")), 200);
    until("/api/metrics/series?window=5m", s -> sum(s, "requests") == 1);

    expect(await(anonymous.post(port, "127.0.0.1", "/api/auth/register").sendJsonObject(new JsonObject()
        .put("email", "bob@faultline.test").put("password", "bobs-long-password"))), 201);
    String bob = "Bearer " + expect(await(anonymous.post(port, "127.0.0.1", "/api/auth/login").sendJsonObject(
        new JsonObject().put("email", "bob@faultline.test").put("password", "bobs-long-password"))), 200)
        .bodyAsJsonObject().getString("token");

    HttpResponse<Buffer> others = await(anonymous.get(port, "127.0.0.1", "/api/metrics/series?proxy="
        + proxy.getString("id")).putHeader("Authorization", bob).send());
    HttpResponse<Buffer> missing = await(anonymous.get(port, "127.0.0.1", "/api/metrics/series?proxy=prx_000000000000")
        .putHeader("Authorization", bob).send());
    assertEquals(404, others.statusCode(), others.bodyAsString());
    assertEquals(missing.bodyAsJsonObject().getJsonObject("error").getString("message").replace("prx_000000000000", "X"),
        others.bodyAsJsonObject().getJsonObject("error").getString("message").replace(proxy.getString("id"), "X"),
        "someone else's proxy reads as a missing one");

    JsonObject own = expect(await(anonymous.get(port, "127.0.0.1", "/api/metrics/series?window=5m")
        .putHeader("Authorization", bob).send()), 200).bodyAsJsonObject();
    assertEquals(0, sum(own, "requests"));
    assertEquals(60, own.getJsonArray("points").size(), "empty steps are there all the same");
    assertEquals(new JsonArray(), own.getJsonArray("annotations"));
    assertEquals(new JsonArray(), own.getJsonArray("fault_windows"));
  }

  @Test
  void badParametersAreRefusedByName() {
    assertRefused("/api/metrics/series?window=2d", "window", "must be one of 5m, 15m, 1h, 6h, 24h");
    assertRefused("/api/metrics/series?window=24h&step=1", "step", "gives 86400 points; at most 2000");
    assertRefused("/api/metrics/series?step=fast", "step", "whole number of seconds");
    assertRefused("/api/metrics/series?step=0", "step", "more than 0");
    assertRefused("/api/metrics/series?window=5m&step=10m", "step", "longer than the window");
    assertRefused("/api/metrics/series?proxies=x", "proxies", "unknown parameter");
    assertRefused("/api/metrics/series?window=1h&window=5m", "window", "given 2 times");
    JsonObject minutes = expect(await(admin.get(port, "127.0.0.1", "/api/metrics/series?window=24h&step=10m").send()),
        200).bodyAsJsonObject();
    assertEquals(144, minutes.getJsonArray("points").size());
    assertEquals(600, minutes.getLong("step_seconds"));
  }

  private void assertRefused(String uri, String field, String message) {
    HttpResponse<Buffer> response = await(admin.get(port, "127.0.0.1", uri).send());
    assertEquals(400, response.statusCode(), uri + ": " + response.bodyAsString());
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertEquals(field, error.getString("field"), uri);
    assertTrue(error.getString("message").contains(message), uri + ": " + error.getString("message"));
  }

  private HttpResponse<Buffer> chat(int proxyPort) {
    return await(anonymous.post(proxyPort, "127.0.0.1", "/v1/chat/completions")
        .putHeader("Authorization", "Bearer sk-test").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(CHAT)));
  }

  private List<JsonObject> logs(String id) {
    JsonArray entries = expect(await(admin.get(port, "127.0.0.1", "/api/logs?proxy=" + id).send()), 200)
        .bodyAsJsonObject().getJsonArray("entries");
    List<JsonObject> list = new ArrayList<>();
    entries.forEach(e -> list.add((JsonObject) e));
    return list;
  }

  /** The series once {@code ready} holds: log rows and audit entries are written a moment after the answer. */
  private JsonObject until(String uri, Predicate<JsonObject> ready) {
    long deadline = System.currentTimeMillis() + 15_000;
    JsonObject last = null;
    while (System.currentTimeMillis() < deadline) {
      last = expect(await(admin.get(port, "127.0.0.1", uri).send()), 200).bodyAsJsonObject();
      if (ready.test(last)) {
        return last;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("the series never got there within 15 s; last: " + last);
  }

  private static long sum(JsonObject series, String key) {
    return series.getJsonArray("points").stream().map(JsonObject.class::cast).mapToLong(p -> p.getLong(key)).sum();
  }
}
