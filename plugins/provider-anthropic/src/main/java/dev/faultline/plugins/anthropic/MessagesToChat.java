package dev.faultline.plugins.anthropic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A Messages answer as an OpenAI chat completion: text joined, tool uses as tool calls. */
final class MessagesToChat {

  private MessagesToChat() {
  }

  /**
   * @param message a Messages API response ({@code "type":"message"})
   * @param created the {@code created} second to stamp it with (Anthropic sends none)
   */
  static JsonObject translate(JsonObject message, long created) {
    StringBuilder text = new StringBuilder();
    JsonArray toolCalls = new JsonArray();
    JsonArray content = Json.arrayAt(message, "content");
    for (int i = 0; content != null && i < content.size(); i++) {
      JsonObject block = content.getValue(i) instanceof JsonObject b ? b : new JsonObject();
      String type = Json.string(block, "type");
      if ("text".equals(type)) {
        text.append(Json.string(block, "text") == null ? "" : block.getString("text"));
      } else if ("tool_use".equals(type)) {
        JsonObject input = Json.objectAt(block, "input");
        toolCalls.add(toolCall(Json.string(block, "id"), Json.string(block, "name"),
            (input == null ? new JsonObject() : input).encode()));
      }
      // Thinking blocks have no place in a chat completion; they are left out.
    }
    JsonObject reply = new JsonObject().put("role", "assistant")
        .put("content", text.isEmpty() && !toolCalls.isEmpty() ? null : text.toString())
        .put("refusal", null);
    if (!toolCalls.isEmpty()) {
      reply.put("tool_calls", toolCalls);
    }
    JsonObject completion = new JsonObject()
        .put("id", completionId(Json.string(message, "id")))
        .put("object", "chat.completion")
        .put("created", created)
        .put("model", Json.string(message, "model"))
        .put("choices", JsonArray.of(new JsonObject()
            .put("index", 0)
            .put("message", reply)
            .put("logprobs", null)
            .put("finish_reason", finishReason(Json.string(message, "stop_reason")))));
    JsonObject usage = Json.objectAt(message, "usage");
    if (usage != null) {
      completion.put("usage", AnthropicUsage.openAi(AnthropicUsage.from(usage)));
    }
    return completion;
  }

  static JsonObject toolCall(String id, String name, String arguments) {
    return new JsonObject().put("id", id).put("type", "function")
        .put("function", new JsonObject().put("name", name).put("arguments", arguments));
  }

  /** OpenAI's ids start with {@code chatcmpl-}; Anthropic's message id is kept after it. */
  static String completionId(String messageId) {
    return "chatcmpl-" + (messageId == null ? "anthropic" : messageId);
  }

  /**
   * {@code stop_reason} as {@code finish_reason}. {@code pause_turn} (a server tool paused a long
   * turn) has no OpenAI name; it ends the answer as a stop does.
   */
  static String finishReason(String stopReason) {
    if (stopReason == null) {
      return null;
    }
    return switch (stopReason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      default -> "stop";
    };
  }
}
