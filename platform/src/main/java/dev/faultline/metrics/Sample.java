package dev.faultline.metrics;

import io.vertx.core.json.JsonObject;

/**
 * What the metrics take from one log entry, read once.
 *
 * @param statusClass 1 to 5 for 1xx to 5xx, 0 when no response was sent (a reset, a caller gone)
 * @param cost        USD paid, 0 when not known
 * @param unpriced    whether tokens were used at a price nobody knows
 * @param streamError whether a response that began as a success ended with an error (a stream's
 *                    error event), which its status class does not show
 * @param callerLimited whether the proxy's own caller limit refused the request
 */
record Sample(String proxyId, int statusClass, double latencyMs, String cacheStatus, long promptTokens,
              long completionTokens, double cost, double saved, boolean unpriced, String fault,
              boolean streamError, boolean callerLimited) {

  /** The {@code error_type} of a request the caller limit refused (see callerlimit.CallerLimit). */
  static final String CALLER_LIMITED = "caller_rate_limited";

  static Sample of(JsonObject entry) {
    int status = entry.getInteger("status", 0);
    return new Sample(
        entry.getString("proxy_id"),
        status >= 100 && status < 600 ? status / 100 : 0,
        number(entry, "latency_ms"),
        entry.getString("cache_status"),
        (long) number(entry, "prompt_tokens"),
        (long) number(entry, "completion_tokens"),
        number(entry, "cost_usd"),
        number(entry, "cost_saved_usd"),
        "unknown_price".equals(entry.getString("cost_source")),
        entry.getString("fault"),
        status > 0 && status < 400 && "completed".equals(entry.getString("outcome"))
            && entry.getString("error_type") != null,
        CALLER_LIMITED.equals(entry.getString("error_type")));
  }

  private static double number(JsonObject entry, String key) {
    return entry.getValue(key) instanceof Number n ? n.doubleValue() : 0;
  }
}
