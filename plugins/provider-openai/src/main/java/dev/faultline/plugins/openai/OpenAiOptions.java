package dev.faultline.plugins.openai;

import dev.faultline.plugin.api.ProviderOptionException;
import io.vertx.core.json.JsonObject;

/**
 * A proxy's {@code options} for this provider.
 *
 * @param maxConnections      pooled upstream connections per proxy event loop
 * @param connectTimeoutMs    how long to wait for a TCP/TLS connection
 * @param idleTimeoutSeconds  how long an upstream may stay silent mid-response; long by default
 *                            because reasoning models think for minutes before the first byte
 */
record OpenAiOptions(int maxConnections, int connectTimeoutMs, int idleTimeoutSeconds) {

  static OpenAiOptions from(JsonObject options) {
    return new OpenAiOptions(
        positive(options, "max_connections", 256),
        positive(options, "connect_timeout_ms", 10_000),
        positive(options, "idle_timeout_seconds", 600));
  }

  private static int positive(JsonObject options, String name, int fallback) {
    Object value = options.getValue(name);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n && n.intValue() > 0 && n.doubleValue() == n.intValue()) {
      return n.intValue();
    }
    throw ProviderOptionException.option(name, "must be a positive integer, got " + value);
  }
}
