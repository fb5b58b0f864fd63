package dev.faultline.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.logs.LogStats;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The exposition text line by line: cumulative buckets, counters per label, escaping. */
class PrometheusTextTest {

  @Test
  void latencyBucketsAreCumulativeCountsOfTheirUpperBound() {
    Aggregate a = aggregate(3, 7, 20, 300, 4_000, 200_000); // ms; the last is above the 120 s bucket
    String text = PrometheusText.render(Map.of("prx_a", a), new LogStats());
    String[] expected = {
        "0.005\"} 1", "0.01\"} 2", "0.025\"} 3", "0.05\"} 3", "0.1\"} 3", "0.25\"} 3", "0.5\"} 4", "1\"} 4",
        "2.5\"} 4", "5\"} 5", "10\"} 5", "30\"} 5", "60\"} 5", "120\"} 5", "+Inf\"} 6"};
    for (String bucket : expected) {
      assertLine(text, "faultline_request_duration_seconds_bucket{proxy=\"prx_a\",le=\"" + bucket);
    }
    assertLine(text, "faultline_request_duration_seconds_count{proxy=\"prx_a\"} 6");
    assertLine(text, "faultline_request_duration_seconds_sum{proxy=\"prx_a\"} 204.33");
    assertLine(text, "# TYPE faultline_request_duration_seconds histogram");
  }

  @Test
  void countersCarryTheirLabelsAndProxyIdsAreEscaped() {
    Aggregate a = new Aggregate();
    a.add(Sample.of(new JsonObject().put("proxy_id", "p").put("status", 429).put("latency_ms", 1)
        .put("fault", "rate-limit").put("cache_status", "MISS").put("prompt_tokens", 12).put("completion_tokens", 3)));
    a.add(Sample.of(new JsonObject().put("proxy_id", "p").put("status", 200).put("latency_ms", 1)
        .put("cache_status", "HIT").put("cost_usd", 0.25)));
    Map<String, Aggregate> byProxy = new TreeMap<>(Map.of("a\"b\\c\nd", a));
    String text = PrometheusText.render(byProxy, new LogStats());
    String proxy = "proxy=\"a\\\"b\\\\c\\nd\"";
    assertLine(text, "faultline_requests_total{" + proxy + ",status_class=\"4xx\"} 1");
    assertLine(text, "faultline_requests_total{" + proxy + ",status_class=\"2xx\"} 1");
    assertLine(text, "faultline_requests_total{" + proxy + ",status_class=\"5xx\"} 0");
    assertLine(text, "faultline_cache_requests_total{" + proxy + ",result=\"hit\"} 1");
    assertLine(text, "faultline_cache_requests_total{" + proxy + ",result=\"miss\"} 1");
    assertLine(text, "faultline_tokens_total{" + proxy + ",direction=\"in\"} 12");
    assertLine(text, "faultline_tokens_total{" + proxy + ",direction=\"out\"} 3");
    assertLine(text, "faultline_cost_usd_total{" + proxy + "} 0.25");
    assertLine(text, "faultline_faults_total{" + proxy + ",strategy=\"rate-limit\"} 1");
    assertLine(text, "faultline_log_entries_total{result=\"written\"} 0");
    assertLine(text, "faultline_log_entries_pending 0");
  }

  private static Aggregate aggregate(double... millis) {
    Aggregate a = new Aggregate();
    for (double ms : millis) {
      a.add(Sample.of(new JsonObject().put("proxy_id", "prx_a").put("status", 200).put("latency_ms", ms)));
    }
    return a;
  }

  private static void assertLine(String text, String line) {
    assertTrue(("\n" + text).contains("\n" + line + "\n"), "no line " + line + " in\n" + text);
  }
}
