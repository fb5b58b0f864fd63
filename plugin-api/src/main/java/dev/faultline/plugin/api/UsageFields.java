package dev.faultline.plugin.api;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/** Reads the usage objects of the APIs that count {@code input_tokens} / {@code output_tokens}. */
final class UsageFields {

  private UsageFields() {
  }

  /** The {@code usage} object at the top, or inside the {@code wrapper} object a stream event carries. */
  static JsonObject nested(JsonObject body, String wrapper) {
    if (body == null) {
      return null;
    }
    if (body.getValue("usage") instanceof JsonObject usage) {
      return usage;
    }
    return body.getValue(wrapper) instanceof JsonObject inner && inner.getValue("usage") instanceof JsonObject usage
        ? usage : null;
  }

  /** OpenAI Responses: {@code input_tokens}, {@code output_tokens}, {@code input_tokens_details.cached_tokens}. */
  static Optional<Usage> inputOutput(JsonObject usage) {
    if (usage == null) {
      return Optional.empty();
    }
    long input = number(usage, "input_tokens");
    long output = number(usage, "output_tokens");
    long total = usage.containsKey("total_tokens") ? number(usage, "total_tokens") : input + output;
    long cached = usage.getValue("input_tokens_details") instanceof JsonObject d ? number(d, "cached_tokens") : 0;
    return Optional.of(new Usage(input, output, total, cached));
  }

  /**
   * Anthropic: {@code input_tokens} leaves out the prompt read from or written to its cache, so the
   * prompt is the three together; {@code cache_read_input_tokens} are the cached ones.
   */
  static Optional<Usage> anthropic(JsonObject usage) {
    if (usage == null) {
      return Optional.empty();
    }
    long cacheRead = number(usage, "cache_read_input_tokens");
    long input = number(usage, "input_tokens") + cacheRead + number(usage, "cache_creation_input_tokens");
    long output = number(usage, "output_tokens");
    return Optional.of(new Usage(input, output, input + output, cacheRead));
  }

  static long number(JsonObject object, String key) {
    return object.getValue(key) instanceof Number n ? n.longValue() : 0;
  }
}
