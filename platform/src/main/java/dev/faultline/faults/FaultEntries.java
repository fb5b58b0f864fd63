package dev.faultline.faults;

import dev.faultline.plugin.api.FaultParamException;
import dev.faultline.plugin.api.FaultParams;
import dev.faultline.plugin.api.FaultStrategy;
import dev.faultline.proxy.Echo;
import dev.faultline.proxy.ProxyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a proxy's {@code faults}: a JSON array of entries
 * {@code {"strategy","rate","params","schedule"}}, or the shorthand
 * {@code {"timeout_sec": 5, "error_rates": {"429": 0.1}}}, which becomes one {@code http-error}
 * entry per status and an {@code upstream-timeout} entry. Every refusal names the field, e.g.
 * {@code faults[1].params.status}.
 */
final class FaultEntries {

  static final String FIELD = "faults";
  private static final Set<String> ENTRY_FIELDS = Set.of("strategy", "rate", "params", "schedule");
  private static final Set<String> SHORTHAND_FIELDS = Set.of("timeout_sec", "error_rates");

  private FaultEntries() {
  }

  static List<FaultEntry> parse(Object value, FaultCatalog catalog, Instant now) {
    JsonArray entries;
    if (value == null) {
      entries = new JsonArray();
    } else if (value instanceof JsonArray array) {
      entries = array;
    } else if (value instanceof JsonObject shorthand) {
      entries = expand(shorthand);
    } else {
      throw ProxyException.invalid(FIELD, "must be an array of {\"strategy\",\"rate\",\"params\"} entries, or "
          + "{\"timeout_sec\":5,\"error_rates\":{\"429\":0.1}}; got " + Echo.quote(value));
    }
    List<FaultEntry> parsed = new ArrayList<>(entries.size());
    for (int i = 0; i < entries.size(); i++) {
      parsed.add(entry(entries.getValue(i), FIELD + "[" + i + "]", catalog, now));
    }
    if (parsed.stream().filter(FaultEntry::isUpstreamTimeout).count() > 1) {
      throw ProxyException.invalid(FIELD, "at most one " + UpstreamTimeout.ID + " entry");
    }
    return parsed;
  }

  static JsonArray toJson(List<FaultEntry> entries) {
    JsonArray json = new JsonArray();
    entries.forEach(e -> json.add(e.toJson()));
    return json;
  }

  /** One entry; {@code field} is its place, e.g. {@code faults[2]}. */
  static FaultEntry entry(Object value, String field, FaultCatalog catalog, Instant now) {
    if (!(value instanceof JsonObject json)) {
      throw ProxyException.invalid(field, "must be an object {\"strategy\",\"rate\",\"params\",\"schedule\"}");
    }
    for (String key : json.fieldNames()) {
      if (!ENTRY_FIELDS.contains(key)) {
        throw ProxyException.invalid(field + "." + key, "unknown field; an entry has strategy, rate, params and "
            + "schedule");
      }
    }
    if (!(json.getValue("strategy") instanceof String id) || id.isBlank()) {
      throw ProxyException.invalid(field + ".strategy", "required: the id of a fault strategy (" + catalog.known()
          + ")");
    }
    FaultStrategy strategy = catalog.find(id).orElseThrow(() -> ProxyException.invalid(field + ".strategy",
        "unknown fault strategy " + Echo.quote(id) + "; known: " + catalog.known() + " (see GET /api/faults/strategies)"));
    double rate = rate(json.getValue("rate"), field + ".rate");
    Object params = json.getValue("params");
    if (params != null && !(params instanceof JsonObject)) {
      throw ProxyException.invalid(field + ".params", "must be an object of parameters");
    }
    FaultParams checked;
    try {
      checked = FaultParamCheck.check(strategy, (JsonObject) params);
    } catch (FaultParamException e) {
      throw ProxyException.invalid(field + ".params." + e.param(), e.getMessage());
    } catch (RuntimeException e) {
      throw ProxyException.invalid(field + ".params", "fault strategy '" + id + "' refused them: " + e.getMessage());
    }
    Schedule schedule = json.getValue("schedule") == null ? null
        : Schedule.parse(json.getValue("schedule"), field + ".schedule", now);
    FaultEntry entry = new FaultEntry(id, rate, checked, schedule);
    if (entry.isUpstreamTimeout() && (rate != 1 || schedule != null)) {
      throw ProxyException.invalid(field + (rate != 1 ? ".rate" : ".schedule"), UpstreamTimeout.ID
          + " is a setting of the proxy, applied to every request: it takes no rate or schedule");
    }
    return entry;
  }

  private static double rate(Object value, String field) {
    if (value == null) {
      return 1;
    }
    if (value instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1) {
      return n.doubleValue();
    }
    throw ProxyException.invalid(field, "must be a number from 0 to 1 (the share of requests), got "
        + Echo.quote(value));
  }

  /**
   * The shorthand as entries. Its error rates are shares of all requests, and entries are tried
   * one after another, so each entry's rate is its share of the requests the entries before it
   * let through: {"429":0.1,"500":0.1} gives exactly 10% of each.
   */
  private static JsonArray expand(JsonObject shorthand) {
    for (String key : shorthand.fieldNames()) {
      if (!SHORTHAND_FIELDS.contains(key)) {
        throw ProxyException.invalid(FIELD + "." + key, "unknown field; the shorthand has timeout_sec and "
            + "error_rates (or send an array of entries)");
      }
    }
    JsonArray entries = new JsonArray();
    Object rates = shorthand.getValue("error_rates");
    if (rates != null) {
      if (!(rates instanceof JsonObject byStatus)) {
        throw ProxyException.invalid(FIELD + ".error_rates", "must be an object of status to rate, e.g. "
            + "{\"429\":0.1,\"500\":0.05}");
      }
      double taken = 0;
      for (Map.Entry<String, Object> e : byStatus) {
        String field = FIELD + ".error_rates." + e.getKey();
        int status = status(e.getKey(), field);
        double rate = rate(e.getValue(), field);
        if (taken + rate > 1 + 1e-9) {
          throw ProxyException.invalid(field, "the error rates add up to more than 1");
        }
        double conditional = taken >= 1 ? 0 : Math.min(1, rate / (1 - taken));
        taken += rate;
        entries.add(new JsonObject().put("strategy", "http-error").put("rate", conditional)
            .put("params", new JsonObject().put("status", status)));
      }
    }
    Object timeout = shorthand.getValue("timeout_sec");
    if (timeout != null) {
      if (!(timeout instanceof Number n) || n.doubleValue() <= 0 || n.doubleValue() > 3600) {
        throw ProxyException.invalid(FIELD + ".timeout_sec", "must be a number of seconds above 0, at most 3600, got "
            + Echo.quote(timeout));
      }
      entries.add(new JsonObject().put("strategy", UpstreamTimeout.ID)
          .put("params", new JsonObject().put(UpstreamTimeout.MS, Math.max(1, Math.round(n.doubleValue() * 1000)))));
    }
    return entries;
  }

  private static int status(String key, String field) {
    try {
      int status = Integer.parseInt(key.trim());
      if (status >= 400 && status <= 599) {
        return status;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ProxyException.invalid(field, "must be an HTTP error status from 400 to 599");
  }
}
