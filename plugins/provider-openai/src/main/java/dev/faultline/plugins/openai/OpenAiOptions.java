package dev.faultline.plugins.openai;

import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.ProviderOptionException;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A proxy's {@code options} for this provider.
 *
 * @param maxConnections      pooled upstream connections per proxy event loop
 * @param connectTimeoutMs    how long to wait for a TCP/TLS connection
 * @param idleTimeoutSeconds  how long an upstream may stay silent mid-response; long by default
 *                            because reasoning models think for minutes before the first byte
 */
record OpenAiOptions(int maxConnections, int connectTimeoutMs, int idleTimeoutSeconds) {

  static final String MAX_CONNECTIONS = "max_connections";
  static final String CONNECT_TIMEOUT_MS = "connect_timeout_ms";
  static final String IDLE_TIMEOUT_SECONDS = "idle_timeout_seconds";
  private static final int DEFAULT_MAX_CONNECTIONS = 256;
  private static final int DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
  private static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 600;

  /** What {@link #from} reads, for the dashboard's form and the host's first check. */
  static final List<FaultParam> DESCRIBED = List.of(
      FaultParam.integer(MAX_CONNECTIONS, "pooled upstream connections per proxy event loop")
          .withDefault(DEFAULT_MAX_CONNECTIONS).withRange(1, Integer.MAX_VALUE),
      FaultParam.integer(CONNECT_TIMEOUT_MS, "how long to wait for a TCP/TLS connection to the upstream, in ms")
          .withDefault(DEFAULT_CONNECT_TIMEOUT_MS).withRange(1, Integer.MAX_VALUE),
      FaultParam.integer(IDLE_TIMEOUT_SECONDS, "how long the upstream may stay silent mid-response, in seconds; "
          + "long because reasoning models think for minutes before the first byte")
          .withDefault(DEFAULT_IDLE_TIMEOUT_SECONDS).withRange(1, Integer.MAX_VALUE));

  static OpenAiOptions from(JsonObject options) {
    return new OpenAiOptions(
        positive(options, MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS),
        positive(options, CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS),
        positive(options, IDLE_TIMEOUT_SECONDS, DEFAULT_IDLE_TIMEOUT_SECONDS));
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
