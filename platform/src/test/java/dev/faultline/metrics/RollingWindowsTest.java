package dev.faultline.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The 1m, 15m and 1h windows against a clock the test moves. */
class RollingWindowsTest {

  private static final long T0 = Instant.parse("2025-05-01T10:00:00.250Z").toEpochMilli();

  private final Metrics metrics = new Metrics();

  @Test
  void aRequestLeavesEachWindowWhenItsTimeIsUp() {
    metrics.record(entry("prx_a", 200, 10), T0);

    assertEquals(1, requests("prx_a", Window.ONE_MINUTE, T0 + 59_000));
    assertEquals(0, requests("prx_a", Window.ONE_MINUTE, T0 + 61_000), "out of the minute");
    assertEquals(1, requests("prx_a", Window.FIFTEEN_MINUTES, T0 + Duration.ofMinutes(14).toMillis()));
    assertEquals(0, requests("prx_a", Window.FIFTEEN_MINUTES, T0 + Duration.ofMinutes(15).plusSeconds(16).toMillis()));
    assertEquals(1, requests("prx_a", Window.ONE_HOUR, T0 + Duration.ofMinutes(59).toMillis()));
    assertEquals(0, requests("prx_a", Window.ONE_HOUR, T0 + Duration.ofMinutes(61).toMillis()));
  }

  @Test
  void aSlotExactlyOneWindowOldHasLeftIt() {
    long slotStart = T0 - T0 % 1000;
    metrics.record(entry("prx_a", 200, 10), T0);
    assertEquals(1, requests("prx_a", Window.ONE_MINUTE, slotStart + 59_999), "the 60th slot is still in");
    assertEquals(0, requests("prx_a", Window.ONE_MINUTE, slotStart + 60_000), "60 slots on, it is out");
  }

  @Test
  void theMinuteWindowSumsTheLastSixtySecondsOnly() {
    for (int second = 0; second < 180; second++) {
      metrics.record(entry("prx_a", 200, 10), T0 + second * 1000L);
    }
    long now = T0 + 179_000;
    assertEquals(60, requests("prx_a", Window.ONE_MINUTE, now));
    assertEquals(1.0, metrics.snapshot("prx_a", Window.ONE_MINUTE, now).getDouble("requests_per_second"));
    assertEquals(180, requests("prx_a", Window.FIFTEEN_MINUTES, now));
    assertEquals(180, requests(null, Window.ONE_HOUR, now), "over all proxies too");
  }

  @Test
  void errorRatesCacheTokensCostAndFaultsAreAggregatedPerProxyAndOverall() {
    metrics.record(entry("prx_a", 200, 10).put("cache_status", "HIT").put("cost_usd", 0.0)
        .put("cost_saved_usd", 0.5).put("prompt_tokens", 100).put("completion_tokens", 10), T0);
    metrics.record(entry("prx_a", 200, 20).put("cache_status", "MISS").put("cost_usd", 0.5)
        .put("prompt_tokens", 100).put("completion_tokens", 10), T0);
    metrics.record(entry("prx_a", 429, 1).put("fault", "rate-limit").put("cache_status", "MISS"), T0);
    metrics.record(entry("prx_a", 503, 2).put("fault", "http-error"), T0);
    metrics.record(entry("prx_a", 0, 3).put("fault", "connection-reset"), T0);
    metrics.record(entry("prx_b", 200, 30).put("cost_source", "unknown_price").put("prompt_tokens", 7), T0);

    JsonObject a = metrics.snapshot("prx_a", Window.ONE_MINUTE, T0 + 500);
    assertEquals(5, a.getLong("requests"));
    assertEquals(new JsonObject().put("none", 1).put("1xx", 0).put("2xx", 2).put("3xx", 0).put("4xx", 1).put("5xx", 1),
        a.getJsonObject("status"));
    assertEquals(new JsonObject().put("4xx", 0.2).put("5xx", 0.2).put("none", 0.2).put("stream", 0.0)
        .put("total", 0.6), a.getJsonObject("error_rate"));
    assertEquals(new JsonObject().put("hits", 1).put("misses", 2).put("bypass", 0).put("hit_rate", 0.333333),
        a.getJsonObject("cache"), "hits over hits and misses");
    assertEquals(new JsonObject().put("in", 200).put("out", 20), a.getJsonObject("tokens"));
    assertEquals(0.5, a.getDouble("cost_usd"));
    assertEquals(0.5, a.getDouble("cost_saved_usd"));
    assertEquals(new JsonObject().put("connection-reset", 1).put("http-error", 1).put("rate-limit", 1),
        a.getJsonObject("faults"));
    assertEquals(3.0, a.getJsonObject("latency_ms").getDouble("p50"), 0.03);
    assertEquals(20.0, a.getJsonObject("latency_ms").getDouble("p99"), 0.2);
    assertEquals(7.2, a.getJsonObject("latency_ms").getDouble("mean"), 1e-9);

    JsonObject all = metrics.snapshot(null, Window.ONE_MINUTE, T0 + 500);
    assertEquals(6, all.getLong("requests"));
    assertEquals(1, all.getLong("unpriced_requests"));
    assertEquals(207, all.getJsonObject("tokens").getLong("in"));
    assertNull(all.getString("proxy_id"));
    assertEquals(0, metrics.snapshot("prx_never", Window.ONE_HOUR, T0).getLong("requests"), "an idle proxy is zeros");
    assertNull(metrics.snapshot("prx_never", Window.ONE_HOUR, T0).getJsonObject("latency_ms").getValue("p50"));
  }

  @Test
  void requestsTheCallerLimitRefusedAreCountedAndSurviveARestart() {
    metrics.record(entry("prx_a", 429, 1).put("error_type", "caller_rate_limited"), T0);
    metrics.record(entry("prx_a", 429, 1).put("error_type", "caller_rate_limited"), T0);
    metrics.record(entry("prx_a", 429, 1).put("error_type", "rate_limit_exceeded").put("fault", "rate-limit"), T0);
    metrics.record(entry("prx_b", 200, 1), T0);

    assertEquals(2, metrics.snapshot("prx_a", Window.ONE_MINUTE, T0).getLong("caller_rate_limited"),
        "the provider's own (simulated) limit is a fault, not the caller limit");
    assertEquals(0, metrics.snapshot("prx_b", Window.ONE_MINUTE, T0).getLong("caller_rate_limited"));
    Metrics restarted = new Metrics();
    metrics.save(T0).forEach((scope, data) -> restarted.restore(scope, data, T0 + 1000));
    assertEquals(2, restarted.snapshot(null, Window.ONE_HOUR, T0 + 1000).getLong("caller_rate_limited"));
  }

  @Test
  void aStreamThatEndedWithAnErrorEventCountsAsAnError() {
    metrics.record(entry("prx_a", 200, 10).put("outcome", "completed").put("error_type", "server_error"), T0);
    metrics.record(entry("prx_a", 200, 10).put("outcome", "completed"), T0);
    // A caller who left is no error of the answer's, whatever its row says.
    metrics.record(entry("prx_a", 200, 10).put("outcome", "abandoned").put("error_type", "client_closed"), T0);

    JsonObject a = metrics.snapshot("prx_a", Window.ONE_MINUTE, T0 + 500);
    assertEquals(3, a.getJsonObject("status").getLong("2xx"), "the status sent was a 200");
    assertEquals(1, a.getLong("stream_errors"));
    assertEquals(0.333333, a.getJsonObject("error_rate").getDouble("stream"));
    assertEquals(0.333333, a.getJsonObject("error_rate").getDouble("total"));

    Metrics restarted = new Metrics();
    metrics.save(T0 + 1000).forEach((scope, data) -> restarted.restore(scope, data, T0 + 1000));
    assertEquals(1, restarted.snapshot("prx_a", Window.ONE_MINUTE, T0 + 1000).getLong("stream_errors"),
        "kept across a restart");
  }

  @Test
  void savedWindowsComeBackWithoutWhatHasExpiredSince() {
    metrics.record(entry("prx_a", 200, 10), T0);
    metrics.record(entry("prx_a", 500, 10), T0 + Duration.ofMinutes(20).toMillis());
    long savedAt = T0 + Duration.ofMinutes(20).toMillis();

    Metrics restarted = new Metrics();
    metrics.save(savedAt).forEach((scope, data) -> restarted.restore(scope, data, savedAt + 30_000));

    long now = savedAt + 30_000;
    assertEquals(1, restarted.snapshot("prx_a", Window.ONE_MINUTE, now).getLong("requests"));
    assertEquals(1, restarted.snapshot("prx_a", Window.FIFTEEN_MINUTES, now).getLong("requests"));
    assertEquals(2, restarted.snapshot("prx_a", Window.ONE_HOUR, now).getLong("requests"));
    assertEquals(metrics.snapshot(null, Window.ONE_HOUR, now).put("ts", "x"),
        restarted.snapshot(null, Window.ONE_HOUR, now).put("ts", "x"), "nothing lost in the round trip");
  }

  @Test
  void thePublishedMessageHoldsEveryWindowOfActiveProxies() {
    metrics.record(entry("prx_a", 200, 10), T0);
    metrics.record(entry("prx_old", 200, 10), T0 - Duration.ofMinutes(90).toMillis());

    JsonObject published = metrics.published(T0 + 1000);

    assertEquals(Instant.ofEpochMilli(T0 + 1000).toString(), published.getString("ts"));
    assertEquals(1, published.getJsonObject("proxies").size(), "a proxy idle for over an hour is left out");
    for (Window window : Window.values()) {
      assertEquals(1, published.getJsonObject("proxies").getJsonObject("prx_a").getJsonObject(window.label())
          .getLong("requests"));
      assertEquals(window.label(), published.getJsonObject("overall").getJsonObject(window.label())
          .getString("window"));
    }
  }

  private long requests(String proxy, Window window, long now) {
    return metrics.snapshot(proxy, window, now).getLong("requests");
  }

  static JsonObject entry(String proxy, int status, double latencyMs) {
    return new JsonObject().put("proxy_id", proxy).put("status", status).put("latency_ms", latencyMs);
  }
}
