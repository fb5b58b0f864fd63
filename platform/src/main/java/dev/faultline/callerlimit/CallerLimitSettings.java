package dev.faultline.callerlimit;

import dev.faultline.proxy.BlockValues;
import dev.faultline.proxy.ProxyBlock;
import dev.faultline.proxy.ProxyException;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A proxy's {@code caller_limit} block: how many requests a second one caller may send, so one
 * runaway caller cannot starve the others. Off for a new proxy. A block that is sent replaces
 * the previous one whole: fields left out take their defaults.
 *
 * @param enabled      whether the proxy limits its callers at all
 * @param perClientRps requests a second from one client address; {@code null}: no such limit
 * @param perKeyRps    requests a second with one API key; {@code null}: no such limit
 * @param burst        requests a caller may send at once after being quiet; {@code null}: one
 *                     second's worth of each limit (at least 1)
 */
public record CallerLimitSettings(boolean enabled, Double perClientRps, Double perKeyRps, Integer burst) {

  public static final String NAME = "caller_limit";
  static final CallerLimitSettings DEFAULT = new CallerLimitSettings(false, null, null, null);

  private static final List<String> FIELDS = List.of("enabled", "per_client_rps", "per_key_rps", "burst");
  private static final double MAX_RPS = 1_000_000;
  private static final double MIN_RPS = 0.001;
  private static final int MAX_BURST = 1_000_000;

  /** The block as the proxies API and table know it. */
  public static final ProxyBlock BLOCK = ProxyBlock.of(NAME, () -> DEFAULT.toJson(), value -> of(value).toJson());

  /**
   * The settings a block holds; {@code null} (no block) means the defaults.
   *
   * @throws ProxyException naming the field, e.g. {@code caller_limit.per_client_rps}
   */
  public static CallerLimitSettings of(Object value) {
    if (value == null) {
      return DEFAULT;
    }
    if (!(value instanceof JsonObject block)) {
      throw ProxyException.invalid(NAME, "must be a JSON object with " + String.join(", ", FIELDS) + "; got " + value);
    }
    for (String field : block.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw ProxyException.invalid(NAME + "." + field, "unknown field; the caller_limit block has "
            + String.join(", ", FIELDS));
      }
    }
    CallerLimitSettings settings = new CallerLimitSettings(
        BlockValues.bool(NAME, block, "enabled", DEFAULT.enabled),
        rate(block, "per_client_rps"),
        rate(block, "per_key_rps"),
        burst(block));
    if (settings.enabled && settings.perClientRps == null && settings.perKeyRps == null) {
      throw ProxyException.invalid(NAME + ".per_client_rps", "set per_client_rps or per_key_rps (or both) to limit "
          + "callers, or enabled: false");
    }
    return settings;
  }

  /** Whether any limit applies. */
  boolean active() {
    return enabled && (perClientRps != null || perKeyRps != null);
  }

  /** The bucket size of a limit of {@code rps}: the burst set, else one second's worth. */
  int burstFor(double rps) {
    return burst != null ? burst : (int) Math.max(1, Math.ceil(rps));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("enabled", enabled)
        .put("per_client_rps", plain(perClientRps))
        .put("per_key_rps", plain(perKeyRps))
        .put("burst", burst);
  }

  /** {@code 20}, not {@code 20.0}, for a whole number of requests. */
  private static Number plain(Double rps) {
    return rps != null && rps == Math.rint(rps) ? (Number) rps.longValue() : rps;
  }

  private static Double rate(JsonObject block, String field) {
    Object value = block.getValue(field);
    if (value == null) {
      return null;
    }
    if (value instanceof Number number && number.doubleValue() >= MIN_RPS && number.doubleValue() <= MAX_RPS) {
      return number.doubleValue();
    }
    throw ProxyException.invalid(NAME + "." + field, "must be a number of requests per second from " + MIN_RPS + " to "
        + (long) MAX_RPS + ", or null for no limit; got " + quoted(value));
  }

  private static Integer burst(JsonObject block) {
    Object value = block.getValue("burst");
    if (value == null) {
      return null;
    }
    Long number = value instanceof Integer || value instanceof Long ? Long.valueOf(((Number) value).longValue())
        : value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.valueOf(d.longValue()) : null;
    if (number != null && number >= 1 && number <= MAX_BURST) {
      return number.intValue();
    }
    throw ProxyException.invalid(NAME + ".burst", "must be an integer from 1 to " + MAX_BURST
        + ", or null for one second's worth of requests; got " + quoted(value));
  }

  private static Object quoted(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : value;
  }
}
