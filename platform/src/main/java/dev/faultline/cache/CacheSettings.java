package dev.faultline.cache;

import dev.faultline.proxy.BlockValues;
import dev.faultline.proxy.Echo;
import dev.faultline.proxy.ProxyBlock;
import dev.faultline.proxy.ProxyException;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A proxy's {@code cache} block. Off for a new proxy. A block that is sent replaces the previous
 * one whole: fields left out take their defaults.
 *
 * @param enabled                 whether the proxy caches at all
 * @param ttlSeconds              how long an entry answers after it was stored; {@code null}: no expiry
 * @param maxEntries              entries kept for this proxy, least recently used evicted first; {@code null}: no cap
 * @param maxBytes                body bytes kept for this proxy, likewise; {@code null}: no cap
 * @param cacheNonzeroTemperature whether requests that sample ({@code temperature > 0}, or no temperature on
 *                                a completion endpoint, where the provider's default is 1) are cached. Yes by
 *                                default: Faultline is a development tool, and a test suite wants the same
 *                                answer to the same request, free and offline, not a fresh sample each run
 * @param replayTiming            whether a cached stream is replayed with its original gaps between events
 *                                (to test a client's streaming UI) rather than all at once
 */
public record CacheSettings(boolean enabled, Long ttlSeconds, Long maxEntries, Long maxBytes,
                            boolean cacheNonzeroTemperature, boolean replayTiming) {

  public static final String NAME = "cache";
  static final CacheSettings DEFAULT = new CacheSettings(false, null, null, null, true, false);

  private static final List<String> FIELDS = List.of("enabled", "ttl_seconds", "max_entries", "max_bytes",
      "cache_nonzero_temperature", "replay_timing");
  private static final long MAX_TTL_SECONDS = 10L * 366 * 24 * 3600;

  /** The block as the proxies API and table know it. */
  public static final ProxyBlock BLOCK = ProxyBlock.of(NAME, () -> DEFAULT.toJson(), value -> of(value).toJson());

  /**
   * The settings a block holds; {@code null} (no block) means the defaults.
   *
   * @throws ProxyException naming the field, e.g. {@code cache.ttl_seconds}
   */
  public static CacheSettings of(Object value) {
    if (value == null) {
      return DEFAULT;
    }
    if (!(value instanceof JsonObject block)) {
      throw ProxyException.invalid(NAME, "must be a JSON object with " + String.join(", ", FIELDS) + "; got "
          + Echo.quote(value));
    }
    for (String field : block.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw ProxyException.invalid(NAME + "." + field, "unknown field; the cache block has " + String.join(", ", FIELDS));
      }
    }
    return new CacheSettings(
        BlockValues.bool(NAME, block, "enabled", DEFAULT.enabled),
        positive(block, "ttl_seconds", MAX_TTL_SECONDS),
        positive(block, "max_entries", Integer.MAX_VALUE),
        positive(block, "max_bytes", Long.MAX_VALUE),
        BlockValues.bool(NAME, block, "cache_nonzero_temperature", DEFAULT.cacheNonzeroTemperature),
        BlockValues.bool(NAME, block, "replay_timing", DEFAULT.replayTiming));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("enabled", enabled)
        .put("ttl_seconds", ttlSeconds)
        .put("max_entries", maxEntries)
        .put("max_bytes", maxBytes)
        .put("cache_nonzero_temperature", cacheNonzeroTemperature)
        .put("replay_timing", replayTiming);
  }

  /** Whether entries can be evicted: the proxy has a TTL, a maximum of entries or of bytes. */
  boolean limited() {
    return ttlSeconds != null || maxEntries != null || maxBytes != null;
  }

  /** Whether an entry stored at {@code createdAt} (epoch ms) no longer answers at {@code now}. */
  boolean expired(long createdAt, long now) {
    return ttlSeconds != null && now - createdAt >= ttlSeconds * 1000;
  }

  private static Long positive(JsonObject block, String field, long max) {
    Object value = block.getValue(field);
    if (value == null) {
      return null;
    }
    Long number = value instanceof Integer || value instanceof Long ? Long.valueOf(((Number) value).longValue())
        : value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.valueOf(d.longValue()) : null;
    if (number != null && number >= 1 && number <= max) {
      return number;
    }
    throw ProxyException.invalid(NAME + "." + field, "must be an integer from 1 to " + max + ", or null for no limit; got "
        + Echo.quote(value));
  }
}
