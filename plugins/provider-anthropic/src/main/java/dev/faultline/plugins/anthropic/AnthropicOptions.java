package dev.faultline.plugins.anthropic;

import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.ProviderOptionException;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A proxy's {@code options} for this provider.
 *
 * @param maxConnections     pooled upstream connections per proxy event loop
 * @param connectTimeoutMs   how long to wait for a TCP/TLS connection
 * @param idleTimeoutSeconds how long the upstream may stay silent mid-response; long because
 *                           extended thinking can take minutes before the first byte
 * @param translateChat      whether {@code POST /v1/chat/completions} is translated to Messages
 *                           ({@code translate}) or relayed untouched to Anthropic's own
 *                           OpenAI-compatible endpoint ({@code forward})
 * @param defaultMaxTokens   {@code max_tokens} of a translated request that names none: Anthropic
 *                           requires it, OpenAI does not
 * @param anthropicVersion   the {@code anthropic-version} a translated request is sent with when
 *                           the caller sent none (an OpenAI SDK never does)
 */
record AnthropicOptions(int maxConnections, int connectTimeoutMs, int idleTimeoutSeconds, boolean translateChat,
                        int defaultMaxTokens, String anthropicVersion) {

  static final String MAX_CONNECTIONS = "max_connections";
  static final String CONNECT_TIMEOUT_MS = "connect_timeout_ms";
  static final String IDLE_TIMEOUT_SECONDS = "idle_timeout_seconds";
  static final String CHAT_COMPLETIONS = "chat_completions";
  static final String DEFAULT_MAX_TOKENS = "default_max_tokens";
  static final String ANTHROPIC_VERSION = "anthropic_version";
  static final String TRANSLATE = "translate";
  static final String FORWARD = "forward";
  private static final int DEFAULT_MAX_CONNECTIONS = 256;
  private static final int DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
  private static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 600;
  private static final int DEFAULT_DEFAULT_MAX_TOKENS = 4096;
  private static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

  /** What {@link #from} reads, for the dashboard's form and the host's first check. */
  static final List<FaultParam> DESCRIBED = List.of(
      FaultParam.choice(CHAT_COMPLETIONS, "POST /v1/chat/completions: translate it to Messages and the answer back "
          + "to OpenAI's shape, or forward it untouched to Anthropic's OpenAI-compatible endpoint", TRANSLATE, FORWARD)
          .withDefault(TRANSLATE),
      FaultParam.integer(DEFAULT_MAX_TOKENS, "max_tokens of a translated request that sets neither max_tokens nor "
          + "max_completion_tokens (Anthropic requires one)")
          .withDefault(DEFAULT_DEFAULT_MAX_TOKENS).withRange(1, Integer.MAX_VALUE),
      FaultParam.string(ANTHROPIC_VERSION, "the anthropic-version header of a translated request whose caller sent none")
          .withDefault(DEFAULT_ANTHROPIC_VERSION),
      FaultParam.integer(MAX_CONNECTIONS, "pooled upstream connections per proxy event loop")
          .withDefault(DEFAULT_MAX_CONNECTIONS).withRange(1, Integer.MAX_VALUE),
      FaultParam.integer(CONNECT_TIMEOUT_MS, "how long to wait for a TCP/TLS connection to the upstream, in ms")
          .withDefault(DEFAULT_CONNECT_TIMEOUT_MS).withRange(1, Integer.MAX_VALUE),
      FaultParam.integer(IDLE_TIMEOUT_SECONDS, "how long the upstream may stay silent mid-response, in seconds; "
          + "long because extended thinking can take minutes before the first byte")
          .withDefault(DEFAULT_IDLE_TIMEOUT_SECONDS).withRange(1, Integer.MAX_VALUE));

  static AnthropicOptions from(JsonObject options) {
    return new AnthropicOptions(
        positive(options, MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS),
        positive(options, CONNECT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS),
        positive(options, IDLE_TIMEOUT_SECONDS, DEFAULT_IDLE_TIMEOUT_SECONDS),
        translateChat(options.getValue(CHAT_COMPLETIONS)),
        positive(options, DEFAULT_MAX_TOKENS, DEFAULT_DEFAULT_MAX_TOKENS),
        version(options.getValue(ANTHROPIC_VERSION)));
  }

  private static boolean translateChat(Object value) {
    if (value == null || TRANSLATE.equals(value)) {
      return true;
    }
    if (FORWARD.equals(value)) {
      return false;
    }
    throw ProviderOptionException.option(CHAT_COMPLETIONS, "must be \"translate\" or \"forward\", got " + value);
  }

  private static String version(Object value) {
    if (value == null) {
      return DEFAULT_ANTHROPIC_VERSION;
    }
    // It becomes a header value: no line breaks, nothing empty.
    if (value instanceof String s && s.matches("[0-9A-Za-z._-]{1,64}")) {
      return s;
    }
    throw ProviderOptionException.option(ANTHROPIC_VERSION, "must be a version such as 2023-06-01, got " + value);
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
