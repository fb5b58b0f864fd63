package dev.faultline.plugins.anthropic;

import dev.faultline.plugin.api.Usage;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * Token counts from Anthropic's {@code usage}: {@code input_tokens} counts only the prompt tokens
 * neither read from nor written to the prompt cache, so the prompt is the sum of the three, and
 * the cache reads are the cached part (priced at the table's {@code cached_input}).
 */
final class AnthropicUsage {

  private AnthropicUsage() {
  }

  /**
   * The usage of a message ({@code usage}), of a stream's {@code message_start} ({@code message.usage})
   * or of its {@code message_delta} ({@code usage}, often the output alone: counts it leaves out are 0).
   */
  static Optional<Usage> of(JsonObject body) {
    JsonObject usage = Json.objectAt(body, "usage");
    if (usage == null) {
      usage = Json.objectAt(Json.objectAt(body, "message"), "usage");
    }
    if (usage == null || !usage.containsKey("input_tokens") && !usage.containsKey("output_tokens")) {
      return Optional.empty();
    }
    return Optional.of(from(usage));
  }

  static Usage from(JsonObject usage) {
    long cacheRead = Json.number(usage, "cache_read_input_tokens");
    long prompt = Json.number(usage, "input_tokens") + cacheRead + Json.number(usage, "cache_creation_input_tokens");
    long completion = Json.number(usage, "output_tokens");
    return new Usage(prompt, completion, prompt + completion, cacheRead);
  }

  /** OpenAI's {@code usage} object for these counts. */
  static JsonObject openAi(Usage usage) {
    return new JsonObject()
        .put("prompt_tokens", usage.promptTokens())
        .put("completion_tokens", usage.completionTokens())
        .put("total_tokens", usage.totalTokens())
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", usage.cachedPromptTokens()));
  }
}
