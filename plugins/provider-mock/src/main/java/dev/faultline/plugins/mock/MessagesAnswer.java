package dev.faultline.plugins.mock;

import dev.faultline.plugin.api.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code POST /v1/messages}, Anthropic's Messages API: one text block, whole or as the event
 * stream {@code message_start}, {@code content_block_start}, {@code ping},
 * {@code content_block_delta}…, {@code content_block_stop}, {@code message_delta},
 * {@code message_stop}. The answer depends on the model, the system prompt and the messages only.
 */
final class MessagesAnswer extends Completion {

  private final int maxTokens;

  private MessagesAnswer(String id, long created, CompletionParams params, List<MockText.Generated> choices,
                         int promptTokens) {
    super(id, created, params, choices, promptTokens);
    this.maxTokens = params.maxTokens();
  }

  static MessagesAnswer answer(JsonObject json, String id, long created, MockOptions options) {
    Fields.body(json);
    String model = required(json, "model") instanceof String s ? s : null;
    if (model == null) {
      throw invalid("model: Input should be a valid string");
    }
    if (!(required(json, "messages") instanceof JsonArray messages)) {
      throw invalid("messages: Input should be a valid list");
    }
    if (!(required(json, "max_tokens") instanceof Number max) || max.intValue() < 1) {
      throw invalid("max_tokens: Input should be a valid integer greater than or equal to 1");
    }
    JsonArray prompt = new JsonArray();
    Object system = json.getValue("system");
    if (system != null) {
      prompt.add(new JsonObject().put("role", "system").put("content", system));
    }
    messages.forEach(message -> prompt.add(message instanceof JsonObject o ? o : new JsonObject()));
    CompletionParams params = new CompletionParams(model, 1, max.intValue(), Fields.optionalBoolean(json, "stream"),
        false);
    return new MessagesAnswer(id, created, params, generate(Hashes.seed(model, prompt), params, options),
        TokenCount.chat(prompt, json.getValue("tools")));
  }

  private static Object required(JsonObject json, String name) {
    Object value = json.getValue(name);
    if (value == null) {
      throw invalid(name + ": Field required");
    }
    return value;
  }

  /** Anthropic words a bad field as {@code <field>: <problem>}, with no code nor param. */
  private static BadRequest invalid(String message) {
    return new BadRequest(new ApiError(400, "invalid_request_error", null, message, null, null));
  }

  private MockText.Generated only() {
    return choices.get(0);
  }

  private String stopReason() {
    return "length".equals(only().finishReason()) ? "max_tokens" : "end_turn";
  }

  private JsonObject message(JsonArray content, String stopReason, JsonObject usage) {
    return new JsonObject()
        .put("id", id)
        .put("type", "message")
        .put("role", "assistant")
        .put("model", params.model())
        .put("content", content)
        .put("stop_reason", stopReason)
        .putNull("stop_sequence")
        .put("usage", usage);
  }

  @Override
  JsonObject body() {
    return message(new JsonArray().add(new JsonObject().put("type", "text").put("text", only().text())),
        stopReason(), usage());
  }

  @Override
  protected JsonObject usage() {
    return usage(completionTokens());
  }

  private JsonObject usage(int output) {
    return new JsonObject()
        .put("input_tokens", promptTokens)
        .put("cache_creation_input_tokens", 0)
        .put("cache_read_input_tokens", 0)
        .put("output_tokens", output);
  }

  @Override
  List<Buffer> opening() {
    // Anthropic counts the first output token in message_start already.
    return List.of(
        NamedEvents.of(new JsonObject().put("type", "message_start")
            .put("message", message(new JsonArray(), null, usage(1)))),
        NamedEvents.of(new JsonObject().put("type", "content_block_start").put("index", 0)
            .put("content_block", new JsonObject().put("type", "text").put("text", ""))),
        NamedEvents.of(new JsonObject().put("type", "ping")));
  }

  @Override
  List<Buffer> round(int r) {
    List<String> pieces = only().pieces();
    return r < pieces.size()
        ? List.of(NamedEvents.of(new JsonObject().put("type", "content_block_delta").put("index", 0)
            .put("delta", new JsonObject().put("type", "text_delta").put("text", pieces.get(r)))))
        : List.of();
  }

  @Override
  List<Buffer> closing() {
    return List.of(
        NamedEvents.of(new JsonObject().put("type", "content_block_stop").put("index", 0)),
        NamedEvents.of(new JsonObject().put("type", "message_delta")
            .put("delta", new JsonObject().put("stop_reason", stopReason()).putNull("stop_sequence"))
            .put("usage", new JsonObject().put("output_tokens", completionTokens()))),
        NamedEvents.of(new JsonObject().put("type", "message_stop")));
  }

  @Override
  protected JsonObject chunk(JsonArray choices) {
    throw new UnsupportedOperationException("a Messages stream has no chunks");
  }

  @Override
  protected JsonObject pieceChoice(int index, String piece) {
    throw new UnsupportedOperationException("a Messages stream has no choices");
  }

  @Override
  protected JsonObject finishChoice(int index, String reason) {
    throw new UnsupportedOperationException("a Messages stream has no choices");
  }
}
