package dev.faultline.plugins.mock;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code POST /v1/chat/completions}: the answer depends on the model and the messages only. */
final class ChatCompletion extends Completion {

  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

  private final String fingerprint;

  private ChatCompletion(String id, long created, CompletionParams params, List<MockText.Generated> choices,
      int promptTokens) {
    super(id, created, params, choices, promptTokens);
    this.fingerprint = Hashes.fingerprint(params.model());
  }

  static ChatCompletion answer(JsonObject json, String id, long created, MockOptions options) {
    Fields.body(json);
    String model = Fields.requiredString(json, "model");
    JsonArray messages = Fields.requiredArray(json, "messages");
    checkMessages(messages);
    Integer maxTokens = CompletionParams.firstOf(
        Fields.optionalInt(json, "max_completion_tokens", 1, Integer.MAX_VALUE),
        Fields.optionalInt(json, "max_tokens", 1, Integer.MAX_VALUE));
    CompletionParams params = CompletionParams.read(json, model, maxTokens);
    return new ChatCompletion(id, created, params, generate(Hashes.seed(model, messages), params, options),
        TokenCount.chat(messages, json.getValue("tools")));
  }

  private static void checkMessages(JsonArray messages) {
    for (int i = 0; i < messages.size(); i++) {
      String name = "messages[" + i + "]";
      Object value = messages.getValue(i);
      if (!(value instanceof JsonObject message)) {
        throw Fields.invalidType(name, "an object", value);
      }
      String role = Fields.requiredString(message, "role", name + ".role");
      if (!ROLES.contains(role)) {
        throw Fields.invalidValue(name + ".role", role,
            "'system', 'assistant', 'user', 'function', 'tool', and 'developer'");
      }
    }
  }

  @Override
  JsonObject body() {
    JsonArray list = new JsonArray();
    for (int i = 0; i < choices.size(); i++) {
      MockText.Generated choice = choices.get(i);
      list.add(new JsonObject()
          .put("index", i)
          .put("message", new JsonObject()
              .put("role", "assistant")
              .put("content", choice.text())
              .putNull("refusal")
              .put("annotations", new JsonArray()))
          .putNull("logprobs")
          .put("finish_reason", choice.finishReason()));
    }
    return envelope("chat.completion")
        .put("choices", list)
        .put("usage", usage())
        .put("service_tier", "default")
        .put("system_fingerprint", fingerprint);
  }

  @Override
  protected JsonObject usage() {
    return super.usage()
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 0).put("audio_tokens", 0))
        .put("completion_tokens_details", new JsonObject()
            .put("reasoning_tokens", 0)
            .put("audio_tokens", 0)
            .put("accepted_prediction_tokens", 0)
            .put("rejected_prediction_tokens", 0));
  }

  @Override
  protected JsonObject chunk(JsonArray choices) {
    return envelope("chat.completion.chunk")
        .put("service_tier", "default")
        .put("system_fingerprint", fingerprint)
        .put("choices", choices);
  }

  @Override
  protected List<JsonObject> openingChoices() {
    List<JsonObject> opening = new ArrayList<>(choices.size());
    for (int i = 0; i < choices.size(); i++) {
      opening.add(streamed(i, new JsonObject().put("role", "assistant").put("content", "").putNull("refusal"), null));
    }
    return opening;
  }

  @Override
  protected JsonObject pieceChoice(int index, String piece) {
    return streamed(index, new JsonObject().put("content", piece), null);
  }

  @Override
  protected JsonObject finishChoice(int index, String reason) {
    return streamed(index, new JsonObject(), reason);
  }

  private static JsonObject streamed(int index, JsonObject delta, String finishReason) {
    return new JsonObject()
        .put("index", index)
        .put("delta", delta)
        .putNull("logprobs")
        .put("finish_reason", finishReason);
  }
}
