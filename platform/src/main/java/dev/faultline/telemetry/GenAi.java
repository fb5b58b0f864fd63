package dev.faultline.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The OpenTelemetry GenAI semantic conventions' names Faultline's spans carry, and Faultline's
 * own beside them.
 */
final class GenAi {

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
  static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");

  static final AttributeKey<String> PROXY_ID = AttributeKey.stringKey("faultline.proxy.id");
  static final AttributeKey<String> PROXY_NAME = AttributeKey.stringKey("faultline.proxy.name");
  static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("faultline.request.id");
  static final AttributeKey<String> CACHE_RESULT = AttributeKey.stringKey("faultline.cache.result");
  static final AttributeKey<String> FAULT_APPLIED = AttributeKey.stringKey("faultline.fault.applied");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("faultline.outcome");

  private GenAi() {
  }

  /**
   * The operation a path asks for, in the conventions' words: Chat Completions, Anthropic's
   * Messages and OpenAI's Responses are all {@code chat}; anything else is named by its last
   * path segment, so a span is never without one.
   */
  static String operation(String path) {
    String p = path == null ? "" : path;
    if (p.endsWith("/chat/completions") || p.endsWith("/messages") || p.endsWith("/responses")) {
      return "chat";
    }
    if (p.endsWith("/embeddings")) {
      return "embeddings";
    }
    if (p.endsWith("/completions")) {
      return "text_completion";
    }
    int slash = p.lastIndexOf('/');
    String last = slash < 0 ? p : p.substring(slash + 1);
    return last.isEmpty() ? "unknown" : last;
  }
}
