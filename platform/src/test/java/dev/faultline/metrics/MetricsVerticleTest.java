package dev.faultline.metrics;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.logs.LogEntry;
import dev.faultline.logs.LogFeed;
import dev.faultline.logs.LogStats;
import dev.faultline.logs.LogTesting;
import dev.faultline.store.Database;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The metrics verticle: it survives a restart, publishes every second, and answers the API and Prometheus. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsVerticleTest {

  /** The {@code node} label, configured (monitoring.node_id). */
  private static final String NODE = "eu-1";
  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir
  Path dataDir;

  @Test
  void aRestartKeepsTheHourWindow(Vertx vertx) {
    MovableClock clock = new MovableClock(Instant.parse("2025-05-01T10:00:00Z"));
    Database database = await(Database.open(vertx, dataDir.resolve("faultline.db")));
    LogFeed feed = new LogFeed();
    try {
      String first = await(vertx.deployVerticle(new MetricsVerticle(feed, new MetricsStore(database), new LogStats(), clock)));
      for (int i = 0; i < 7; i++) {
        feed.offer(LogEntry.fromJson(RollingWindowsTest.entry("prx_a", i < 5 ? 200 : 500, 10 + i)));
      }
      LogTesting.eventually("the entries to be counted",
          () -> snapshot(vertx, "prx_a", Window.ONE_MINUTE).getLong("requests") == 7, () -> "");
      await(vertx.undeploy(first));

      clock.advance(Duration.ofMinutes(20));
      String second = await(vertx.deployVerticle(new MetricsVerticle(feed, new MetricsStore(database), new LogStats(), clock)));
      JsonObject hour = snapshot(vertx, "prx_a", Window.ONE_HOUR);
      assertEquals(7, hour.getLong("requests"), "the hour window came back: " + hour);
      assertEquals(new JsonObject().put("4xx", 0.0).put("5xx", 0.285714).put("none", 0.0).put("stream", 0.0)
          .put("total", 0.285714),
          hour.getJsonObject("error_rate"));
      assertEquals(7, snapshot(vertx, null, Window.ONE_HOUR).getLong("requests"), "so did the overall one");
      assertEquals(0, snapshot(vertx, "prx_a", Window.FIFTEEN_MINUTES).getLong("requests"), "15 minutes are over");
      await(vertx.undeploy(second));

      clock.advance(Duration.ofMinutes(41));
      await(vertx.deployVerticle(new MetricsVerticle(feed, new MetricsStore(database), new LogStats(), clock)));
      assertEquals(0, snapshot(vertx, "prx_a", Window.ONE_HOUR).getLong("requests"), "and the hour is over too");
    } finally {
      await(database.close());
    }
  }

  @Test
  void metricsArePublishedEverySecondAndServedOnTheApi(Vertx vertx) {
    Faultline faultline = LogTesting.start(vertx, dataDir);
    try {
      WebClient client = FaultlineHarness.client(vertx);
      JsonObject proxy = mockProxyThatServed(client, faultline, "m", 3);
      Promise<JsonObject> published = Promise.promise();
      MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(MetricsVerticle.ADDRESS, m -> {
        JsonObject mine = m.body().getJsonObject("proxies").getJsonObject(proxy.getString("id"));
        if (mine != null && mine.getJsonObject("1m").getLong("requests") == 3) {
          published.tryComplete(m.body());
        }
      });
      JsonObject message = await(published.future());
      consumer.unregister();
      assertEquals(3, message.getJsonObject("overall").getJsonObject("15m").getLong("requests"));
      assertEquals(3L, message.getJsonObject("logs").getLong("received"), "the log pipeline's counts ride along");

      JsonObject api = await(client.get(faultline.adminPort(), "127.0.0.1", "/api/metrics?window=15m&proxy="
          + proxy.getString("id")).send().map(r -> expect(r, 200).bodyAsJsonObject()));
      assertEquals("15m", api.getString("window"));
      assertEquals(proxy.getString("id"), api.getString("proxy_id"));
      assertEquals(3, api.getLong("requests"));
      assertEquals(3, api.getJsonObject("status").getLong("2xx"));
      assertTrue(api.getJsonObject("latency_ms").getDouble("p99") > 0, api.encode());
      assertTrue(api.getDouble("cost_usd") > 0, "the mock's gpt-4o-mini is priced: " + api.encode());
      assertEquals("1m", await(client.get(faultline.adminPort(), "127.0.0.1", "/api/metrics").send())
          .bodyAsJsonObject().getString("window"), "1m by default");

      for (String[] bad : new String[][] {{"window=5m", "window"}, {"proxy=x&colour=red", "colour"}}) {
        JsonObject error = await(client.get(faultline.adminPort(), "127.0.0.1", "/api/metrics?" + bad[0]).send()
            .map(r -> expect(r, 400).bodyAsJsonObject())).getJsonObject("error");
        assertEquals(bad[1], error.getString("field"), error.encode());
      }
    } finally {
      await(faultline.stop());
    }
  }

  @Test
  void prometheusTextParsesAndCountsTheRequests(Vertx vertx) {
    Faultline faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir)
        .withMonitoring(LogTesting.monitoring(dataDir, null).withNodeId(NODE))));
    try {
      WebClient client = FaultlineHarness.client(vertx);
      JsonObject proxy = mockProxyThatServed(client, faultline, "p", 4);
      String id = proxy.getString("id");
      LogTesting.eventually("the metrics to count 4 requests",
          () -> snapshot(vertx, id, Window.ONE_MINUTE).getLong("requests") == 4, () -> "");

      HttpResponse<Buffer> response = await(client.get(faultline.adminPort(), "127.0.0.1", "/metrics").send());
      assertEquals(200, response.statusCode());
      assertEquals("text/plain; version=0.0.4; charset=utf-8", response.getHeader("content-type"));
      Map<String, Double> samples = PrometheusParser.parse(response.bodyAsString());

      String labels = "node=\"" + NODE + "\",proxy=\"" + id + "\",proxy_name=\"p\"";
      assertEquals(4.0, samples.get("faultline_requests_total{" + labels + ",status=\"200\",status_class=\"2xx\"}"));
      assertEquals(4.0, samples.get("faultline_request_duration_seconds_count{" + labels + "}"));
      assertEquals(4.0, samples.get("faultline_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"}"));
      assertTrue(samples.get("faultline_request_duration_seconds_sum{" + labels + "}") > 0);
      assertTrue(samples.get("faultline_tokens_total{direction=\"out\"," + labels + "}") > 0);
      assertTrue(samples.get("faultline_cost_usd_total{" + labels + "}") > 0);
      assertEquals(0.0, samples.get("faultline_log_entries_total{node=\"" + NODE + "\",result=\"dropped\"}"));
      LogTesting.eventually("/metrics to count 4 log entries written", () -> PrometheusParser.parse(
              await(client.get(faultline.adminPort(), "127.0.0.1", "/metrics").send()).bodyAsString())
          .get("faultline_log_entries_total{node=\"" + NODE + "\",result=\"written\"}") == 4.0, () -> "");
    } finally {
      await(faultline.stop());
    }
  }

  private static JsonObject snapshot(Vertx vertx, String proxy, Window window) {
    return await(MetricsVerticle.snapshot(vertx, proxy, window));
  }

  /** A mock proxy named {@code name} that has answered {@code chats} chat completions. */
  private static JsonObject mockProxyThatServed(WebClient client, Faultline faultline, String name, int chats) {
    JsonObject proxy = LogTesting.proxy(client, faultline, new JsonObject().put("name", name).put("provider", "mock"));
    for (int i = 0; i < chats; i++) {
      chat(client, proxy);
    }
    return proxy;
  }

  private static void chat(WebClient client, JsonObject proxy) {
    assertEquals(200, await(client.post(proxy.getInteger("port"), "127.0.0.1", "/v1/chat/completions")
        .putHeader("authorization", "Bearer sk-x").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(CHAT))).statusCode());
  }

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    private final AtomicLong millis;

    MovableClock(Instant start) {
      this.millis = new AtomicLong(start.toEpochMilli());
    }

    void advance(Duration by) {
      millis.addAndGet(by.toMillis());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public long millis() {
      return millis.get();
    }
  }

  /**
   * A strict reader of Prometheus' text format 0.0.4: every sample belongs to a family declared by
   * a TYPE line before it, names and labels are well formed, values are numbers, and a histogram's
   * buckets are cumulative and end in +Inf equal to its count.
   */
  static final class PrometheusParser {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile(
        "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");

    static Map<String, Double> parse(String text) {
      assertTrue(text.endsWith("\n"), "the text ends with a line feed");
      Map<String, String> types = new HashMap<>();
      Map<String, Double> samples = new HashMap<>();
      Map<String, List<double[]>> buckets = new HashMap<>();
      for (String line : text.split("\n")) {
        if (line.startsWith("# TYPE ")) {
          String[] parts = line.split(" ");
          assertEquals(4, parts.length, line);
          assertTrue(NAME.matcher(parts[2]).matches(), line);
          assertTrue(List.of("counter", "gauge", "histogram", "summary", "untyped").contains(parts[3]), line);
          assertEquals(null, types.put(parts[2], parts[3]), "declared once: " + line);
        } else if (line.startsWith("# HELP ")) {
          assertTrue(NAME.matcher(line.split(" ")[2]).matches(), line);
        } else {
          Matcher m = SAMPLE.matcher(line);
          assertTrue(m.matches(), "a sample line: " + line);
          String name = m.group(1);
          String family = types.containsKey(name) ? name : name.replaceAll("_(bucket|sum|count)$", "");
          assertTrue(types.containsKey(family), "a TYPE line comes before " + line);
          double value = m.group(4).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(4));
          assertEquals(null, samples.put(name + (m.group(2) == null ? "" : m.group(2)), value), "once: " + line);
          if (name.endsWith("_bucket")) {
            String le = null;
            StringBuilder series = new StringBuilder(family);
            Matcher label = LABEL.matcher(m.group(3));
            while (label.find()) {
              if (label.group(1).equals("le")) {
                le = label.group(2);
              } else {
                series.append(',').append(label.group());
              }
            }
            assertTrue(le != null, "a bucket has le: " + line);
            double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            buckets.computeIfAbsent(series.toString(), k -> new ArrayList<>()).add(new double[] {bound, value});
          }
        }
      }
      buckets.forEach((series, list) -> {
        for (int i = 1; i < list.size(); i++) {
          assertTrue(list.get(i)[0] > list.get(i - 1)[0] && list.get(i)[1] >= list.get(i - 1)[1],
              "buckets rise, and so do their counts: " + series);
        }
        assertEquals(Double.POSITIVE_INFINITY, list.get(list.size() - 1)[0], "the last bucket is +Inf: " + series);
      });
      return samples;
    }
  }
}
