package dev.faultline.metrics;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.logs.LogTesting;
import dev.faultline.metrics.MetricsVerticleTest.PrometheusParser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} of a real Faultline after real traffic: a served call, a cache hit and an
 * injected 429, with labels a person can alert on; Vert.x's own series when Faultline runs on the
 * launcher's Vert.x; and Prometheus' own checker ({@code promtool check metrics}) accepts the text.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PrometheusScrapeTest {

  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  @TempDir
  Path dataDir;

  @Test
  void onTheLaunchersVertxTheScrapeHasFaultlinesLabelsAndVertxsOwnSeries() throws Exception {
    Vertx vertx = PrometheusMetrics.vertx("node-a");
    WebClient client = FaultlineHarness.client(vertx);
    Faultline faultline = LogTesting.start(vertx, dataDir);
    try {
      JsonObject proxy = LogTesting.proxy(client, faultline, new JsonObject().put("name", "Checkout bot")
          .put("provider", "mock").put("cache", new JsonObject().put("enabled", true)));
      String id = proxy.getString("id");
      assertEquals(200, chat(client, proxy, null).statusCode(), "a miss");
      HttpResponse<Buffer> hit = chat(client, proxy, null);
      assertEquals(200, hit.statusCode());
      HttpResponse<Buffer> limited = chat(client, proxy, "http-error;status=429;retry_after=2");
      assertEquals(429, limited.statusCode(), limited.bodyAsString());

      String labels = "node=\"node-a\",proxy=\"" + id + "\",proxy_name=\"Checkout bot\"";
      // Both: one entry's series are counted one after the other, and a scrape may come in between.
      String text = scrapeWhen(client, faultline, "faultline_requests_total{" + labels + ",status=\"429\","
          + "status_class=\"4xx\"}", "faultline_faults_total{" + labels + ",status=\"429\",strategy=\"http-error\"}");
      Map<String, Double> samples = PrometheusParser.parse(text);
      assertEquals(2.0, samples.get("faultline_requests_total{" + labels + ",status=\"200\",status_class=\"2xx\"}"),
          text);
      assertEquals(1.0, samples.get("faultline_requests_total{" + labels + ",status=\"429\",status_class=\"4xx\"}"));
      assertEquals(1.0, samples.get("faultline_faults_total{" + labels + ",status=\"429\",strategy=\"http-error\"}"),
          "the injected fault by strategy, with the status it answered");
      assertEquals(1.0, samples.get("faultline_cache_requests_total{" + labels + ",result=\"hit\"}"), text);
      assertTrue(samples.get("faultline_cache_requests_total{" + labels + ",result=\"miss\"}") >= 1.0, text);
      assertEquals(3.0, samples.get("faultline_request_duration_seconds_count{" + labels + "}"));
      assertEquals(3.0, samples.get("faultline_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"}"));
      assertEquals(0.0, samples.get("faultline_log_entries_total{node=\"node-a\",result=\"dropped\"}"));
      assertEquals(0.0, samples.get("faultline_log_entries_total{node=\"node-a\",result=\"failed\"}"));

      // What vertx-micrometer-metrics brings: the JVM, the HTTP server that answered, the event loops.
      assertTrue(text.contains("\njvm_memory_used_bytes{"), "JVM series");
      assertTrue(text.contains("\nvertx_http_server_requests_total{"), "HTTP server series");
      assertTrue(text.contains("\nvertx_http_client_"), "HTTP client series (the proxy's upstream calls)");
      assertTrue(text.contains("\nvertx_pool_"), "pool series (the workers, the client pools)");
      promtoolAccepts(text);
    } finally {
      await(faultline.stop());
      await(vertx.close());
    }
  }

  @Test
  void onAnEmbeddersVertxFaultlinesOwnSeriesAndTheJvmsStillShow() throws Exception {
    Vertx vertx = Vertx.vertx();
    WebClient client = FaultlineHarness.client(vertx);
    Faultline faultline = LogTesting.start(vertx, dataDir);
    try {
      JsonObject proxy = LogTesting.proxy(client, faultline, new JsonObject().put("name", "plain")
          .put("provider", "mock"));
      assertEquals(503, chat(client, proxy, "http-error;status=503").statusCode());
      String text = scrapeWhen(client, faultline, "status=\"503\",status_class=\"5xx\"}");
      assertTrue(text.contains("faultline_requests_total{node=\"" + hostLabel(text) + "\",proxy=\""
          + proxy.getString("id") + "\",proxy_name=\"plain\",status=\"503\",status_class=\"5xx\"} 1"), text);
      assertTrue(text.contains("\njvm_memory_used_bytes{"), "JVM series");
      PrometheusParser.parse(text);
      promtoolAccepts(text);
    } finally {
      await(faultline.stop());
      await(vertx.close());
    }
  }

  /** The {@code node} label the registry was given: this host's name when none is configured. */
  private static String hostLabel(String text) {
    int at = text.indexOf("node=\"");
    assertTrue(at >= 0, "a node label: " + text);
    String node = text.substring(at + 6, text.indexOf('"', at + 6));
    assertTrue(!node.isBlank(), "the node label names the host");
    return node;
  }

  private static HttpResponse<Buffer> chat(WebClient client, JsonObject proxy, String fault) {
    var request = client.post(proxy.getInteger("port"), "127.0.0.1", "/v1/chat/completions")
        .putHeader("authorization", "Bearer sk-x").putHeader("content-type", "application/json");
    if (fault != null) {
      request.putHeader("X-Faultline-Fault", fault);
    }
    return await(request.sendBuffer(Buffer.buffer(CHAT)));
  }

  /** The scrape once it shows every one of {@code expected} (entries reach the metrics shortly after the response). */
  private static String scrapeWhen(WebClient client, Faultline faultline, String... expected) {
    String[] last = {""};
    LogTesting.eventually("/metrics to show " + String.join(" and ", expected), () -> {
      HttpResponse<Buffer> response = await(client.get(faultline.adminPort(), "127.0.0.1", "/metrics").send());
      assertEquals(200, response.statusCode(), response.bodyAsString());
      assertTrue(response.getHeader("content-type").startsWith("text/plain; version=0.0.4"),
          response.getHeader("content-type"));
      last[0] = response.bodyAsString();
      return java.util.Arrays.stream(expected).allMatch(last[0]::contains);
    }, () -> last[0]);
    return last[0];
  }

  /**
   * Runs {@code promtool check metrics} on the text. Without promtool: skipped on a workstation,
   * a failure in CI (CI set, as the other tools' checks do), where .ci/run installs Debian's
   * prometheus package.
   */
  static void promtoolAccepts(String text) throws IOException, InterruptedException {
    if (!Files.isExecutable(PROMTOOL)) {
      if (System.getenv("CI") != null) {
        fail(PROMTOOL + " is missing: .ci/run installs it (apt-get install prometheus)");
      }
      Assumptions.abort(PROMTOOL + " is not installed (apt-get install prometheus); promtool's check skipped");
    }
    Process process = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
    try (var in = process.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "promtool answers");
    assertEquals(0, process.exitValue(), "promtool check metrics:\n" + output);
  }
}
