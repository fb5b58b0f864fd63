package dev.faultline.plugins.mock;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Token estimates close enough to OpenAI's for quota and cost tests, without shipping a
 * tokenizer: about one token per four characters, never fewer than one per word.
 */
final class TokenCount {

  /** OpenAI adds this much around every chat message (role markers, separators). */
  static final int PER_MESSAGE = 3;
  /** …and this much to prime the assistant's reply. */
  static final int REPLY_PRIMING = 3;
  /** Every role name is a single token in OpenAI's vocabularies. */
  static final int ROLE = 1;
  /** What a low-detail image costs; the mock never looks at the picture. */
  static final int IMAGE = 85;

  private TokenCount() {
  }

  static int text(String text) {
    if (text == null || text.isBlank()) {
      return 0;
    }
    int words = text.trim().split("\\s+").length;
    int byLength = (text.length() + 3) / 4;
    return Math.max(words, byLength);
  }

  static int chat(JsonArray messages, Object tools) {
    int total = REPLY_PRIMING;
    for (int i = 0; i < messages.size(); i++) {
      JsonObject message = messages.getJsonObject(i);
      total += PER_MESSAGE + ROLE;
      total += content(message.getValue("content"));
      if (message.getValue("name") instanceof String name) {
        total += 1 + text(name);
      }
      if (message.getValue("tool_calls") instanceof JsonArray calls) {
        total += text(calls.encode());
      }
    }
    // Function definitions are part of the prompt the model reads, so OpenAI bills them.
    if (tools instanceof JsonArray definitions) {
      total += text(definitions.encode());
    }
    return total;
  }

  private static int content(Object content) {
    if (content instanceof String text) {
      return text(text);
    }
    if (!(content instanceof JsonArray parts)) {
      return 0;
    }
    int total = 0;
    for (int i = 0; i < parts.size(); i++) {
      Object part = parts.getValue(i);
      if (part instanceof JsonObject p && p.getValue("text") instanceof String text) {
        total += text(text);
      } else if (part instanceof JsonObject p && "image_url".equals(p.getValue("type"))) {
        total += IMAGE;
      } else if (part != null) {
        total += text(String.valueOf(part));
      }
    }
    return total;
  }
}
