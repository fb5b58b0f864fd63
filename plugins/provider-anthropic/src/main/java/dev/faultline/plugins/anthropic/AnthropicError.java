package dev.faultline.plugins.anthropic;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * An error as Anthropic words it: {@code {"type":"error","error":{"type","message"},"request_id"}},
 * read from an error response's body or from a stream's {@code event: error}.
 *
 * @param type    Anthropic's error type, e.g. {@code overloaded_error}; {@code null} when the body
 *                was not Anthropic's (a gateway's HTML page, say)
 * @param message Anthropic's message, or a description of the unreadable body
 */
record AnthropicError(String type, String message) {

  /** The error in an error response's {@code body}, answered with {@code status}. */
  static AnthropicError parse(int status, Buffer body) {
    JsonObject json = Json.object(body);
    AnthropicError error = json == null ? null : of(json);
    if (error != null) {
      return error;
    }
    String text = body.toString().strip();
    return new AnthropicError(null, "Anthropic answered HTTP " + status
        + (text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "…" : text)));
  }

  /** The error of an Anthropic error document, or {@code null} when it is none. */
  static AnthropicError of(JsonObject document) {
    if (!(document.getValue("error") instanceof JsonObject error) || !(error.getValue("type") instanceof String type)) {
      return null;
    }
    Object message = error.getValue("message");
    return new AnthropicError(type, message instanceof String m ? m : type);
  }
}
