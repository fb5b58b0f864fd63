package dev.faultline.logs;

import dev.faultline.proxy.BlockValues;
import dev.faultline.proxy.Echo;
import dev.faultline.proxy.ProxyBlock;
import dev.faultline.proxy.ProxyDefinition;
import dev.faultline.proxy.ProxyException;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A proxy's {@code logging} block:
 * {@code {"enabled": true, "bodies": false, "max_body_bytes": 4096}}. {@code enabled: false}
 * takes the proxy out of the logs, the metrics and the live streams; {@code bodies: true} keeps
 * the request and response bodies in its log rows, each cut at {@code max_body_bytes}.
 */
public final class LoggingBlock implements ProxyBlock {

  public static final String NAME = "logging";
  /** A log row stays a row: bodies are capped so a page of rows stays small in memory. */
  public static final int MAX_BODY_BYTES = 65_536;

  private static final String ENABLED = "enabled";
  private static final String BODIES = "bodies";
  private static final String BODY_BYTES = "max_body_bytes";
  private static final List<String> FIELDS = List.of(ENABLED, BODIES, BODY_BYTES);

  /** The block's settings, read from a proxy. */
  public record Settings(boolean enabled, boolean bodies, int maxBodyBytes) {

    static final Settings DEFAULTS = new Settings(true, false, 4096);

    static Settings of(ProxyDefinition proxy) {
      return proxy.block(NAME) instanceof JsonObject block ? new Settings(block.getBoolean(ENABLED, true),
          block.getBoolean(BODIES, false), block.getInteger(BODY_BYTES, DEFAULTS.maxBodyBytes)) : DEFAULTS;
    }

    JsonObject toJson() {
      return new JsonObject().put(ENABLED, enabled).put(BODIES, bodies).put(BODY_BYTES, maxBodyBytes);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Object defaultValue() {
    return Settings.DEFAULTS.toJson();
  }

  @Override
  public Object validate(Object value) {
    if (value == null) {
      return defaultValue();
    }
    if (!(value instanceof JsonObject block)) {
      throw ProxyException.invalid(NAME, "must be an object such as {\"enabled\": true, \"bodies\": false, "
          + "\"max_body_bytes\": 4096}, got " + Echo.quote(value));
    }
    for (String field : block.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw ProxyException.invalid(NAME + "." + field, "unknown setting; logging has " + String.join(", ", FIELDS));
      }
    }
    return new Settings(BlockValues.bool(NAME, block, ENABLED, true), BlockValues.bool(NAME, block, BODIES, false),
        bodyBytes(block)).toJson();
  }

  private static int bodyBytes(JsonObject block) {
    Object value = block.getValue(BODY_BYTES);
    if (value == null) {
      return Settings.DEFAULTS.maxBodyBytes;
    }
    if (value instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() >= 0
        && n.longValue() <= MAX_BODY_BYTES) {
      return n.intValue();
    }
    throw ProxyException.invalid(NAME + "." + BODY_BYTES, "must be an integer from 0 to " + MAX_BODY_BYTES
        + " (bytes kept of each body), got " + Echo.quote(value));
  }
}
