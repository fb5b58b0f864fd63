package dev.faultline.metrics;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/** Sums over a set of requests (one time slot, a window, or all since start); mergeable. */
final class Aggregate {

  static final String[] STATUS_CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};

  long requests;
  final long[] statuses = new long[STATUS_CLASSES.length];
  LatencyHistogram latency = new LatencyHistogram();
  double latencySumMs;
  long cacheHits;
  long cacheMisses;
  long cacheBypass;
  long promptTokens;
  long completionTokens;
  double cost;
  double saved;
  long unpriced;
  long callerLimited;
  /** Responses sent with a success status that ended with an error event; an error all the same. */
  long streamErrors;
  final Map<String, Long> faults = new TreeMap<>();

  void add(Sample sample) {
    requests++;
    statuses[sample.statusClass()]++;
    latency.record(sample.latencyMs());
    latencySumMs += sample.latencyMs();
    if ("HIT".equals(sample.cacheStatus())) {
      cacheHits++;
    } else if ("MISS".equals(sample.cacheStatus())) {
      cacheMisses++;
    } else if ("BYPASS".equals(sample.cacheStatus())) {
      cacheBypass++;
    }
    promptTokens += sample.promptTokens();
    completionTokens += sample.completionTokens();
    cost += sample.cost();
    saved += sample.saved();
    unpriced += sample.unpriced() ? 1 : 0;
    callerLimited += sample.callerLimited() ? 1 : 0;
    streamErrors += sample.streamError() ? 1 : 0;
    if (sample.fault() != null) {
      faults.merge(sample.fault(), 1L, Long::sum);
    }
  }

  void merge(Aggregate other) {
    requests += other.requests;
    for (int i = 0; i < statuses.length; i++) {
      statuses[i] += other.statuses[i];
    }
    latency.merge(other.latency);
    latencySumMs += other.latencySumMs;
    cacheHits += other.cacheHits;
    cacheMisses += other.cacheMisses;
    cacheBypass += other.cacheBypass;
    promptTokens += other.promptTokens;
    completionTokens += other.completionTokens;
    cost += other.cost;
    saved += other.saved;
    unpriced += other.unpriced;
    callerLimited += other.callerLimited;
    streamErrors += other.streamErrors;
    other.faults.forEach((id, n) -> faults.merge(id, n, Long::sum));
  }

  /** The public view of this aggregate as a window of {@code seconds}. */
  JsonObject summary(String window, long seconds) {
    JsonObject errorRate = new JsonObject();
    long errors = statuses[0] + statuses[4] + statuses[5] + streamErrors;
    errorRate.put("4xx", rate(statuses[4], requests)).put("5xx", rate(statuses[5], requests))
        .put("none", rate(statuses[0], requests)).put("stream", rate(streamErrors, requests))
        .put("total", rate(errors, requests));
    JsonObject latencyMs = new JsonObject()
        .put("p50", round(latency.percentile(0.50)))
        .put("p95", round(latency.percentile(0.95)))
        .put("p99", round(latency.percentile(0.99)))
        .put("mean", requests == 0 ? null : round(latencySumMs / requests));
    return new JsonObject()
        .put("window", window)
        .put("requests", requests)
        .put("requests_per_second", round((double) requests / seconds))
        .put("status", statusJson())
        .put("error_rate", errorRate)
        .put("latency_ms", latencyMs)
        .put("cache", new JsonObject().put("hits", cacheHits).put("misses", cacheMisses).put("bypass", cacheBypass)
            .put("hit_rate", rate(cacheHits, cacheHits + cacheMisses)))
        .put("tokens", new JsonObject().put("in", promptTokens).put("out", completionTokens))
        .put("cost_usd", cost)
        .put("cost_saved_usd", saved)
        .put("unpriced_requests", unpriced)
        .put("caller_rate_limited", callerLimited)
        .put("stream_errors", streamErrors)
        .put("faults", faultsJson());
  }

  /** Everything, for a snapshot. */
  JsonObject toJson() {
    return new JsonObject()
        .put("requests", requests).put("status", statusJson()).put("latency", latency.toJson())
        .put("latency_sum_ms", latencySumMs).put("hits", cacheHits).put("misses", cacheMisses)
        .put("bypass", cacheBypass).put("prompt", promptTokens).put("completion", completionTokens)
        .put("cost", cost).put("saved", saved).put("unpriced", unpriced).put("caller_limited", callerLimited)
        .put("stream_errors", streamErrors).put("faults", faultsJson());
  }

  static Aggregate fromJson(JsonObject json) {
    Aggregate a = new Aggregate();
    a.requests = json.getLong("requests", 0L);
    JsonObject status = json.getJsonObject("status", new JsonObject());
    for (int i = 0; i < STATUS_CLASSES.length; i++) {
      a.statuses[i] = status.getLong(STATUS_CLASSES[i], 0L);
    }
    a.latency = LatencyHistogram.fromJson(json.getJsonObject("latency", new JsonObject()));
    a.latencySumMs = json.getDouble("latency_sum_ms", 0.0);
    a.cacheHits = json.getLong("hits", 0L);
    a.cacheMisses = json.getLong("misses", 0L);
    a.cacheBypass = json.getLong("bypass", 0L);
    a.promptTokens = json.getLong("prompt", 0L);
    a.completionTokens = json.getLong("completion", 0L);
    a.cost = json.getDouble("cost", 0.0);
    a.saved = json.getDouble("saved", 0.0);
    a.unpriced = json.getLong("unpriced", 0L);
    a.callerLimited = json.getLong("caller_limited", 0L);
    a.streamErrors = json.getLong("stream_errors", 0L);
    json.getJsonObject("faults", new JsonObject()).forEach(e -> a.faults.put(e.getKey(), ((Number) e.getValue()).longValue()));
    return a;
  }

  private JsonObject statusJson() {
    JsonObject status = new JsonObject();
    for (int i = 0; i < STATUS_CLASSES.length; i++) {
      status.put(STATUS_CLASSES[i], statuses[i]);
    }
    return status;
  }

  private JsonObject faultsJson() {
    JsonObject json = new JsonObject();
    faults.forEach(json::put);
    return json;
  }

  private static Double rate(long part, long whole) {
    return whole == 0 ? null : round((double) part / whole);
  }

  private static Double round(double value) {
    return Double.isNaN(value) ? null : Math.round(value * 1e6) / 1e6;
  }
}
