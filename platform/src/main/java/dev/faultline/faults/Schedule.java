package dev.faultline.faults;

import dev.faultline.proxy.Echo;
import dev.faultline.proxy.ProxyException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * When a fault applies: a window of seconds after it was set ({@code from_sec} to
 * {@code until_sec}), the next N requests after it was set ({@code next_requests}), or both. A
 * window outlives restarts ({@code set_at} is stored); the request count starts again when the
 * proxy's faults or fault options are set, and when Faultline restarts.
 *
 * @param fromSec      seconds after {@code setAt} the fault starts
 * @param untilSec     seconds after {@code setAt} it stops; {@code null} for never
 * @param nextRequests how many requests it covers; {@code null} for no limit
 * @param setAt        when it was set
 */
record Schedule(double fromSec, Double untilSec, Long nextRequests, Instant setAt) {

  private static final Set<String> FIELDS = Set.of("from_sec", "until_sec", "next_requests", "set_at");

  /** Whether the fault applies at {@code now} to the request numbered {@code index} (from 0). */
  boolean active(Instant now, long index) {
    double elapsed = (now.toEpochMilli() - setAt.toEpochMilli()) / 1000.0;
    return elapsed >= fromSec && (untilSec == null || elapsed < untilSec)
        && (nextRequests == null || index < nextRequests);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("from_sec", fromSec);
    if (untilSec != null) {
      json.put("until_sec", untilSec);
    }
    if (nextRequests != null) {
      json.put("next_requests", nextRequests);
    }
    return json.put("set_at", setAt.toString());
  }

  /** Checks a schedule object; {@code set_at} defaults to {@code now}. */
  static Schedule parse(Object value, String field, Instant now) {
    if (!(value instanceof JsonObject json)) {
      throw ProxyException.invalid(field, "must be an object such as {\"from_sec\":30,\"until_sec\":90} or "
          + "{\"next_requests\":10}");
    }
    for (String key : json.fieldNames()) {
      if (!FIELDS.contains(key)) {
        throw ProxyException.invalid(field + "." + key, "unknown field; a schedule has from_sec, until_sec, "
            + "next_requests and set_at");
      }
    }
    if (!json.containsKey("from_sec") && !json.containsKey("until_sec") && !json.containsKey("next_requests")) {
      throw ProxyException.invalid(field, "set from_sec and/or until_sec (a window), or next_requests");
    }
    double from = json.containsKey("from_sec") ? seconds(json.getValue("from_sec"), field + ".from_sec") : 0;
    Double until = json.getValue("until_sec") == null ? null : seconds(json.getValue("until_sec"), field + ".until_sec");
    if (until != null && until <= from) {
      throw ProxyException.invalid(field + ".until_sec", "must be above from_sec (" + from + ")");
    }
    Long next = null;
    Object count = json.getValue("next_requests");
    if (count != null) {
      if (!(count instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 1) {
        throw ProxyException.invalid(field + ".next_requests", "must be a whole number of at least 1, got "
            + Echo.quote(count));
      }
      next = n.longValue();
    }
    return new Schedule(from, until, next, setAt(json.getValue("set_at"), field + ".set_at", now));
  }

  private static double seconds(Object value, String field) {
    if (value instanceof Number n && Double.isFinite(n.doubleValue()) && n.doubleValue() >= 0) {
      return n.doubleValue();
    }
    throw ProxyException.invalid(field, "must be a number of seconds, 0 or more, got " + Echo.quote(value));
  }

  private static Instant setAt(Object value, String field, Instant now) {
    if (value == null) {
      return now;
    }
    try {
      return Instant.parse(String.valueOf(value));
    } catch (DateTimeParseException e) {
      throw ProxyException.invalid(field, "must be an ISO-8601 instant such as 2025-01-31T12:00:00Z, got "
          + Echo.quote(value));
    }
  }
}
