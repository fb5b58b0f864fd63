package dev.faultline.plugins.mock;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Legacy {@code POST /v1/completions}. A prompt may be a string, strings, or token arrays; each
 * prompt gets {@code n} choices, numbered prompt by prompt as OpenAI numbers them.
 */
final class TextCompletion extends Completion {

  /** The legacy endpoint's own default: without {@code max_tokens} answers stop at 16. */
  static final int DEFAULT_MAX_TOKENS = 16;

  private TextCompletion(String id, long created, CompletionParams params, List<MockText.Generated> choices,
      int promptTokens) {
    super(id, created, params, choices, promptTokens);
  }

  static TextCompletion answer(JsonObject json, String id, long created, MockOptions options) {
    Fields.body(json);
    String model = Fields.requiredString(json, "model");
    List<Object> prompts = prompts(Fields.required(json, "prompt"));
    Integer maxTokens = CompletionParams.firstOf(
        Fields.optionalInt(json, "max_tokens", 0, Integer.MAX_VALUE), DEFAULT_MAX_TOKENS);
    CompletionParams params = CompletionParams.read(json, model, maxTokens);

    List<MockText.Generated> choices = new ArrayList<>(prompts.size() * params.n());
    int promptTokens = 0;
    for (Object prompt : prompts) {
      choices.addAll(generate(Hashes.seed(model, prompt), params, options));
      promptTokens += prompt instanceof JsonArray tokens ? tokens.size() : TokenCount.text((String) prompt);
    }
    return new TextCompletion(id, created, params, choices, promptTokens);
  }

  /** Each prompt as a String or a JsonArray of token ids. */
  static List<Object> prompts(Object value) {
    if (value instanceof String text) {
      return List.of(text);
    }
    if (!(value instanceof JsonArray array) || array.isEmpty()) {
      throw Fields.invalidType("prompt", "a string or an array", value);
    }
    if (isTokens(array)) {
      return List.of(array);
    }
    List<Object> prompts = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof String) && !(item instanceof JsonArray tokens && isTokens(tokens))) {
        throw Fields.invalidType("prompt", "a string, an array of strings or an array of token arrays", value);
      }
      prompts.add(item);
    }
    return prompts;
  }

  static boolean isTokens(JsonArray array) {
    if (array.isEmpty()) {
      return false;
    }
    for (Object item : array) {
      if (!Fields.isInteger(item) || ((Number) item).longValue() < 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  JsonObject body() {
    JsonArray list = new JsonArray();
    for (int i = 0; i < choices.size(); i++) {
      MockText.Generated choice = choices.get(i);
      list.add(choice(i, choice.text(), choice.finishReason()));
    }
    return envelope("text_completion")
        .put("choices", list)
        .put("usage", usage());
  }

  @Override
  protected JsonObject chunk(JsonArray choices) {
    return envelope("text_completion").put("choices", choices);
  }

  @Override
  protected JsonObject pieceChoice(int index, String piece) {
    return choice(index, piece, null);
  }

  @Override
  protected JsonObject finishChoice(int index, String reason) {
    return choice(index, "", reason);
  }

  private static JsonObject choice(int index, String text, String finishReason) {
    return new JsonObject()
        .put("text", text)
        .put("index", index)
        .putNull("logprobs")
        .put("finish_reason", finishReason);
  }
}
