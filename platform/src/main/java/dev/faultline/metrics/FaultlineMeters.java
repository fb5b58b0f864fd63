package dev.faultline.metrics;

import dev.faultline.logs.LogStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Faultline's own series, counted from the log entries: each labelled with the proxy's id
 * ({@code proxy}, as before) and name ({@code proxy_name}), requests with their exact status as
 * well as its class, faults with their strategy, the cache with its result; and the log writer's
 * fates (written, dropped, failed), which an operator alerts on.
 */
final class FaultlineMeters {

  /** Upper bounds of the latency histogram's buckets, in seconds. */
  static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
  /** Label value when there is none: no response sent, a proxy without a name. */
  static final String NONE = "none";

  private final MeterRegistry registry;
  private final Map<ProxyLabels, ProxyMeters> proxies = new HashMap<>();

  FaultlineMeters(MeterRegistry registry, LogStats logs) {
    this.registry = registry;
    for (String result : new String[] {"written", "dropped", "failed"}) {
      FunctionCounter.builder("faultline.log.entries", logs, stats -> switch (result) {
        case "written" -> stats.written();
        case "dropped" -> stats.dropped();
        default -> stats.failed();
      }).description("Log entries by fate: written, dropped at a full queue, failed (given up after retries).")
          .tag("result", result).register(registry);
    }
    Gauge.builder("faultline.log.entries.pending", logs, LogStats::pending)
        .description("Log entries waiting to be written.").register(registry);
    Gauge.builder("faultline.log.writer.lag.seconds", logs, stats -> stats.lagMillis() / 1000.0)
        .description("How long the oldest log entry waiting to be written has waited.").register(registry);
    FunctionCounter.builder("faultline.log.writer.holds", logs, LogStats::holds)
        .description("Times the proxies held new requests until the log writer caught up (on_overflow: backpressure).")
        .register(registry);
  }

  /** @param name the proxy's name, {@code null} when unknown */
  void record(Sample sample, String name) {
    if (sample.proxyId() == null) {
      return;
    }
    String code = sample.statusClass() == 0 ? NONE : Integer.toString(sample.status());
    ProxyMeters proxy = proxies.computeIfAbsent(new ProxyLabels(sample.proxyId(), name == null ? NONE : name),
        ProxyMeters::new);
    proxy.requests.computeIfAbsent(code, c -> counter("faultline.requests",
        "Requests answered, by exact HTTP status and its class (none: no response).",
        proxy.tags.and("status", c, "status_class", Aggregate.STATUS_CLASSES[sample.statusClass()]))).increment();
    proxy.duration.record((long) (sample.latencyMs() * 1_000_000), TimeUnit.NANOSECONDS);
    if (sample.cacheStatus() != null) {
      proxy.cache.computeIfAbsent(sample.cacheStatus(), result -> counter("faultline.cache.requests",
          "Requests by cache result (hit, miss, bypass).",
          proxy.tags.and("result", result.toLowerCase(java.util.Locale.ROOT)))).increment();
    }
    if (sample.fault() != null) {
      proxy.faults.computeIfAbsent(sample.fault() + ' ' + code, key -> counter("faultline.faults",
          "Requests a fault strategy acted on, by strategy and the status answered.",
          proxy.tags.and("strategy", sample.fault(), "status", code))).increment();
    }
    proxy.tokensIn.increment(sample.promptTokens());
    proxy.tokensOut.increment(sample.completionTokens());
    proxy.cost.increment(sample.cost());
    proxy.saved.increment(sample.saved());
    proxy.unpriced.increment(sample.unpriced() ? 1 : 0);
    proxy.callerLimited.increment(sample.callerLimited() ? 1 : 0);
    proxy.streamErrors.increment(sample.streamError() ? 1 : 0);
  }

  /** A proxy's label values: a renamed proxy gets series of its new name. */
  private record ProxyLabels(String id, String name) {
  }

  /**
   * One proxy's meters, registered at its first request and then only counted: looking a meter up
   * in the registry by its tags on every request cost more than the rest of the metrics together.
   * Every counter is made even for a zero, so that each proxy's series exist from its first
   * request (rates need a start). Touched only by the metrics verticle's thread.
   */
  private final class ProxyMeters {
    final Tags tags;
    final Timer duration;
    final Counter tokensIn;
    final Counter tokensOut;
    final Counter cost;
    final Counter saved;
    final Counter unpriced;
    final Counter callerLimited;
    final Counter streamErrors;
    final Map<String, Counter> requests = new HashMap<>();
    final Map<String, Counter> cache = new HashMap<>();
    final Map<String, Counter> faults = new HashMap<>();

    ProxyMeters(ProxyLabels labels) {
      tags = Tags.of("proxy", labels.id(), "proxy_name", labels.name());
      duration = Timer.builder("faultline.request.duration").description("Time from accepting a request to its end.")
          .tags(tags).serviceLevelObjectives(Arrays.stream(BUCKETS).mapToObj(s -> Duration.ofNanos((long) (s * 1e9)))
              .toArray(Duration[]::new))
          .register(registry);
      String tokens = "Tokens used, prompt (in) and completion (out).";
      tokensIn = counter("faultline.tokens", tokens, tags.and("direction", "in"));
      tokensOut = counter("faultline.tokens", tokens, tags.and("direction", "out"));
      cost = counter("faultline.cost.usd", "What the calls cost, in US dollars (known prices only).", tags);
      saved = counter("faultline.cost.saved.usd", "What cache hits would have cost, in US dollars.", tags);
      unpriced = counter("faultline.unpriced.requests", "Requests that used tokens of a model with no known price.",
          tags);
      callerLimited = counter("faultline.caller.rate.limited",
          "Requests the proxy's own caller limit refused with a 429.", tags);
      streamErrors = counter("faultline.stream.errors",
          "Responses sent with a success status that ended with an error event.", tags);
    }
  }

  private Counter counter(String name, String help, Tags tags) {
    return Counter.builder(name).description(help).tags(tags).register(registry);
  }
}
