package dev.faultline.metrics;

import dev.faultline.logs.LogStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Arrays;
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
  void record(JsonObject entry, Sample sample, String name) {
    if (sample.proxyId() == null) {
      return;
    }
    Tags proxy = Tags.of("proxy", sample.proxyId(), "proxy_name", name == null ? NONE : name);
    int status = entry.getValue("status") instanceof Number n ? n.intValue() : 0;
    String code = sample.statusClass() == 0 ? NONE : Integer.toString(status);
    counter("faultline.requests", "Requests answered, by exact HTTP status and its class (none: no response).",
        proxy.and("status", code, "status_class", Aggregate.STATUS_CLASSES[sample.statusClass()])).increment();
    Timer.builder("faultline.request.duration").description("Time from accepting a request to its end.")
        .tags(proxy).serviceLevelObjectives(Arrays.stream(BUCKETS).mapToObj(s -> Duration.ofNanos((long) (s * 1e9)))
            .toArray(Duration[]::new))
        .register(registry).record((long) (sample.latencyMs() * 1_000_000), TimeUnit.NANOSECONDS);
    if (sample.cacheStatus() != null) {
      counter("faultline.cache.requests", "Requests by cache result (hit, miss, bypass).",
          proxy.and("result", sample.cacheStatus().toLowerCase(java.util.Locale.ROOT))).increment();
    }
    if (sample.fault() != null) {
      counter("faultline.faults", "Requests a fault strategy acted on, by strategy and the status answered.",
          proxy.and("strategy", sample.fault(), "status", code)).increment();
    }
    add("faultline.tokens", "Tokens used, prompt (in) and completion (out).", proxy.and("direction", "in"),
        sample.promptTokens());
    add("faultline.tokens", "Tokens used, prompt (in) and completion (out).", proxy.and("direction", "out"),
        sample.completionTokens());
    add("faultline.cost.usd", "What the calls cost, in US dollars (known prices only).", proxy, sample.cost());
    add("faultline.cost.saved.usd", "What cache hits would have cost, in US dollars.", proxy, sample.saved());
    add("faultline.unpriced.requests", "Requests that used tokens of a model with no known price.", proxy,
        sample.unpriced() ? 1 : 0);
    add("faultline.caller.rate.limited", "Requests the proxy's own caller limit refused with a 429.", proxy,
        sample.callerLimited() ? 1 : 0);
    add("faultline.stream.errors", "Responses sent with a success status that ended with an error event.", proxy,
        sample.streamError() ? 1 : 0);
  }

  /** Counts even a zero, so that each proxy's series exist from its first request (rates need a start). */
  private void add(String name, String help, Tags tags, double amount) {
    counter(name, help, tags).increment(amount);
  }

  private Counter counter(String name, String help, Tags tags) {
    return Counter.builder(name).description(help).tags(tags).register(registry);
  }
}
