package dev.faultline.metrics;

import dev.faultline.logs.LogStats;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The totals since start in Prometheus' text exposition format (version 0.0.4): counters and a
 * latency histogram, each labelled with the proxy id.
 */
final class PrometheusText {

  /** Upper bounds of the latency histogram's buckets, in seconds. */
  static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

  private final StringBuilder out = new StringBuilder(4096);

  private PrometheusText() {
  }

  static String render(Map<String, Aggregate> byProxy, LogStats logs) {
    PrometheusText text = new PrometheusText();
    text.family("faultline_requests_total", "counter", "Requests answered, by HTTP status class (none: no response).",
        byProxy, (proxy, a) -> {
          for (int i = 0; i < Aggregate.STATUS_CLASSES.length; i++) {
            text.sample("faultline_requests_total", proxy, "status_class", Aggregate.STATUS_CLASSES[i], a.statuses[i]);
          }
        });
    text.family("faultline_request_duration_seconds", "histogram", "Time from accepting a request to its end.",
        byProxy, (proxy, a) -> {
          for (double le : BUCKETS) {
            text.sample("faultline_request_duration_seconds_bucket", proxy, "le", number(le),
                a.latency.countAtOrBelow(le * 1000));
          }
          text.sample("faultline_request_duration_seconds_bucket", proxy, "le", "+Inf", a.latency.count());
          text.sample("faultline_request_duration_seconds_sum", proxy, null, null, a.latencySumMs / 1000);
          text.sample("faultline_request_duration_seconds_count", proxy, null, null, a.latency.count());
        });
    text.family("faultline_cache_requests_total", "counter", "Requests by cache result.", byProxy, (proxy, a) -> {
      text.sample("faultline_cache_requests_total", proxy, "result", "hit", a.cacheHits);
      text.sample("faultline_cache_requests_total", proxy, "result", "miss", a.cacheMisses);
      text.sample("faultline_cache_requests_total", proxy, "result", "bypass", a.cacheBypass);
    });
    text.family("faultline_tokens_total", "counter", "Tokens used, prompt (in) and completion (out).", byProxy,
        (proxy, a) -> {
          text.sample("faultline_tokens_total", proxy, "direction", "in", a.promptTokens);
          text.sample("faultline_tokens_total", proxy, "direction", "out", a.completionTokens);
        });
    text.family("faultline_cost_usd_total", "counter", "What the calls cost, in US dollars (known prices only).",
        byProxy, (proxy, a) -> text.sample("faultline_cost_usd_total", proxy, null, null, a.cost));
    text.family("faultline_cost_saved_usd_total", "counter", "What cache hits would have cost, in US dollars.",
        byProxy, (proxy, a) -> text.sample("faultline_cost_saved_usd_total", proxy, null, null, a.saved));
    text.family("faultline_unpriced_requests_total", "counter", "Requests that used tokens of a model with no known price.",
        byProxy, (proxy, a) -> text.sample("faultline_unpriced_requests_total", proxy, null, null, a.unpriced));
    text.family("faultline_caller_rate_limited_total", "counter",
        "Requests the proxy's own caller limit refused with a 429.", byProxy,
        (proxy, a) -> text.sample("faultline_caller_rate_limited_total", proxy, null, null, a.callerLimited));
    text.family("faultline_stream_errors_total", "counter",
        "Responses sent with a success status that ended with an error event (counted as errors).", byProxy,
        (proxy, a) -> text.sample("faultline_stream_errors_total", proxy, null, null, a.streamErrors));
    text.family("faultline_faults_total", "counter", "Requests a fault strategy acted on, by strategy.", byProxy,
        (proxy, a) -> a.faults.forEach((strategy, n) -> text.sample("faultline_faults_total", proxy, "strategy", strategy, n)));
    text.header("faultline_log_entries_total", "counter", "Log entries by fate: written, dropped at a full queue, failed.");
    text.line("faultline_log_entries_total{result=\"written\"} " + logs.written());
    text.line("faultline_log_entries_total{result=\"dropped\"} " + logs.dropped());
    text.line("faultline_log_entries_total{result=\"failed\"} " + logs.failed());
    text.header("faultline_log_entries_pending", "gauge", "Log entries waiting to be written.");
    text.line("faultline_log_entries_pending " + logs.pending());
    return text.out.toString();
  }

  private void family(String name, String type, String help, Map<String, Aggregate> byProxy,
                      BiConsumer<String, Aggregate> samples) {
    header(name, type, help);
    byProxy.forEach(samples);
  }

  private void header(String name, String type, String help) {
    line("# HELP " + name + " " + help);
    line("# TYPE " + name + " " + type);
  }

  private void sample(String name, String proxy, String label, String value, double number) {
    out.append(name).append("{proxy=\"").append(escape(proxy)).append('"');
    if (label != null) {
      out.append(',').append(label).append("=\"").append(escape(value)).append('"');
    }
    out.append("} ").append(number(number)).append('\n');
  }

  private void line(String text) {
    out.append(text).append('\n');
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
  }

  /** Label values escape backslash, double quote and line feed. */
  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
