package dev.faultline.metrics;

import dev.faultline.logs.LogEntry;
import io.vertx.core.json.JsonObject;

/**
 * What the metrics take from one log entry, read once.
 *
 * @param status      the HTTP status answered, 0 when none was sent
 * @param statusClass 1 to 5 for 1xx to 5xx, 0 when no response was sent (a reset, a caller gone)
 * @param cost        USD paid, 0 when not known
 * @param unpriced    whether tokens were used at a price nobody knows
 * @param streamError whether a response that began as a success ended with an error (a stream's
 *                    error event), which its status class does not show
 * @param callerLimited whether the proxy's own caller limit refused the request
 */
record Sample(String proxyId, int status, int statusClass, double latencyMs, String cacheStatus, long promptTokens,
              long completionTokens, double cost, double saved, boolean unpriced, String fault,
              boolean streamError, boolean callerLimited) {

  /** The {@code error_type} of a request the caller limit refused (see callerlimit.CallerLimit). */
  static final String CALLER_LIMITED = "caller_rate_limited";

  /** From an entry's JSON, as another cluster node publishes it. */
  static Sample of(JsonObject entry) {
    return of(LogEntry.fromJson(entry));
  }

  static Sample of(LogEntry entry) {
    int status = entry.status();
    return new Sample(
        entry.proxyId(),
        status,
        status >= 100 && status < 600 ? status / 100 : 0,
        orZero(entry.latencyMs()),
        entry.cacheStatus(),
        (long) orZero(entry.promptTokens()),
        (long) orZero(entry.completionTokens()),
        orZero(entry.costUsd()),
        orZero(entry.costSavedUsd()),
        "unknown_price".equals(entry.costSource()),
        entry.fault(),
        status > 0 && status < 400 && "completed".equals(entry.outcome()) && entry.errorType() != null,
        CALLER_LIMITED.equals(entry.errorType()));
  }

  private static double orZero(Number value) {
    return value == null ? 0 : value.doubleValue();
  }
}
