package dev.faultline.plugins.mock;

import dev.faultline.plugin.api.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/responses}, OpenAI's Responses API: one message of output text, whole or as the
 * event stream {@code response.created} … {@code response.output_text.delta} …
 * {@code response.completed}, each event numbered by {@code sequence_number}. The answer depends
 * on the model, the instructions and the input only.
 */
final class ResponsesAnswer extends Completion {

  private final String itemId;
  private final JsonObject request;
  private long sequence;

  private ResponsesAnswer(String id, long created, CompletionParams params, List<MockText.Generated> choices,
                          int promptTokens, JsonObject request) {
    super(id, created, params, choices, promptTokens);
    this.itemId = "msg_" + id.substring("resp_".length());
    this.request = request;
  }

  static ResponsesAnswer answer(JsonObject json, String id, long created, MockOptions options) {
    Fields.body(json);
    String model = Fields.requiredString(json, "model");
    Object input = Fields.required(json, "input");
    JsonArray messages = new JsonArray();
    if (json.getValue("instructions") instanceof String instructions) {
      messages.add(new JsonObject().put("role", "system").put("content", instructions));
    }
    if (input instanceof String text) {
      messages.add(new JsonObject().put("role", "user").put("content", text));
    } else if (input instanceof JsonArray items) {
      items.forEach(item -> messages.add(item instanceof JsonObject o ? o : new JsonObject()));
    } else {
      throw Fields.invalidType("input", "a string or an array", input);
    }
    Integer maxTokens = Fields.optionalInt(json, "max_output_tokens", 1, Integer.MAX_VALUE);
    if (json.getValue("n") != null) {
      throw new BadRequest(ApiError.invalidRequest("Unknown parameter: 'n'.", "unknown_parameter", "n"));
    }
    CompletionParams params = new CompletionParams(model, 1, maxTokens, Fields.optionalBoolean(json, "stream"), false);
    return new ResponsesAnswer(id, created, params, generate(Hashes.seed(model, messages), params, options),
        TokenCount.chat(messages, json.getValue("tools")), json);
  }

  private MockText.Generated only() {
    return choices.get(0);
  }

  private boolean cut() {
    return "length".equals(only().finishReason());
  }

  /** The response object; {@code done} gives the finished one with its output and usage. */
  private JsonObject response(boolean done) {
    JsonObject response = new JsonObject()
        .put("id", id)
        .put("object", "response")
        .put("created_at", created)
        .put("status", done ? (cut() ? "incomplete" : "completed") : "in_progress")
        .putNull("error")
        .put("incomplete_details", done && cut() ? new JsonObject().put("reason", "max_output_tokens") : null)
        .put("instructions", request.getValue("instructions") instanceof String s ? s : null)
        .put("max_output_tokens", params.maxTokens())
        .put("model", params.model())
        .put("output", done ? new JsonArray().add(item(true)) : new JsonArray())
        .put("parallel_tool_calls", true)
        .putNull("previous_response_id")
        .put("reasoning", new JsonObject().putNull("effort").putNull("summary"))
        .put("service_tier", "default")
        .put("store", true)
        .put("temperature", 1.0)
        .put("text", new JsonObject().put("format", new JsonObject().put("type", "text")))
        .put("tool_choice", "auto")
        .put("tools", new JsonArray())
        .put("top_p", 1.0)
        .put("truncation", "disabled")
        .put("usage", done ? usage() : null)
        .putNull("user")
        .put("metadata", new JsonObject());
    return response;
  }

  private JsonObject item(boolean done) {
    return new JsonObject()
        .put("id", itemId)
        .put("type", "message")
        .put("status", done ? "completed" : "in_progress")
        .put("content", done ? new JsonArray().add(part(only().text())) : new JsonArray())
        .put("role", "assistant");
  }

  private static JsonObject part(String text) {
    return new JsonObject().put("type", "output_text").put("annotations", new JsonArray()).put("text", text);
  }

  @Override
  JsonObject body() {
    return response(true);
  }

  @Override
  protected JsonObject usage() {
    int output = completionTokens();
    return new JsonObject()
        .put("input_tokens", promptTokens)
        .put("input_tokens_details", new JsonObject().put("cached_tokens", 0))
        .put("output_tokens", output)
        .put("output_tokens_details", new JsonObject().put("reasoning_tokens", 0))
        .put("total_tokens", promptTokens + output);
  }

  private Buffer event(String type, JsonObject fields) {
    JsonObject data = new JsonObject().put("type", type).put("sequence_number", sequence++);
    fields.forEach(e -> data.put(e.getKey(), e.getValue()));
    return NamedEvents.of(data);
  }

  private JsonObject at() {
    return new JsonObject().put("item_id", itemId).put("output_index", 0).put("content_index", 0);
  }

  @Override
  List<Buffer> opening() {
    return List.of(
        event("response.created", new JsonObject().put("response", response(false))),
        event("response.in_progress", new JsonObject().put("response", response(false))),
        event("response.output_item.added", new JsonObject().put("output_index", 0).put("item", item(false))),
        event("response.content_part.added", at().put("part", part(""))));
  }

  @Override
  List<Buffer> round(int r) {
    List<String> pieces = only().pieces();
    return r < pieces.size()
        ? List.of(event("response.output_text.delta", at().put("delta", pieces.get(r)).put("logprobs", new JsonArray())))
        : List.of();
  }

  @Override
  List<Buffer> closing() {
    String text = only().text();
    List<Buffer> events = new ArrayList<>(5);
    events.add(event("response.output_text.done", at().put("text", text).put("logprobs", new JsonArray())));
    events.add(event("response.content_part.done", at().put("part", part(text))));
    events.add(event("response.output_item.done", new JsonObject().put("output_index", 0).put("item", item(true))));
    events.add(event(cut() ? "response.incomplete" : "response.completed",
        new JsonObject().put("response", response(true))));
    return events;
  }

  @Override
  protected JsonObject chunk(JsonArray choices) {
    throw new UnsupportedOperationException("a Responses stream has no chunks");
  }

  @Override
  protected JsonObject pieceChoice(int index, String piece) {
    throw new UnsupportedOperationException("a Responses stream has no choices");
  }

  @Override
  protected JsonObject finishChoice(int index, String reason) {
    throw new UnsupportedOperationException("a Responses stream has no choices");
  }
}
