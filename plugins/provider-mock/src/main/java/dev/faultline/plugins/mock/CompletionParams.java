package dev.faultline.plugins.mock;

import dev.faultline.plugin.api.ApiError;
import io.vertx.core.json.JsonObject;

/**
 * What chat and legacy completions share: how many choices, how long, and how to deliver them.
 *
 * @param maxTokens the caller's cap on each choice, or {@code null} for none
 */
record CompletionParams(String model, int n, Integer maxTokens, boolean stream, boolean includeUsage) {

  /** OpenAI's own bound on {@code n}. */
  static final int MAX_N = 128;

  static CompletionParams read(JsonObject json, String model, Integer maxTokens) {
    int n = firstOf(Fields.optionalInt(json, "n", 1, MAX_N), 1);
    boolean stream = Fields.optionalBoolean(json, "stream");
    JsonObject streamOptions = Fields.optionalObject(json, "stream_options");
    if (streamOptions != null && !stream) {
      throw new BadRequest(ApiError.invalidRequest(
          "The 'stream_options' parameter is only allowed when 'stream' is enabled.", null, "stream_options"));
    }
    boolean includeUsage = streamOptions != null && Fields.optionalBoolean(streamOptions, "include_usage");
    return new CompletionParams(model, n, maxTokens, stream, includeUsage);
  }

  static Integer firstOf(Integer preferred, Integer fallback) {
    return preferred != null ? preferred : fallback;
  }
}
