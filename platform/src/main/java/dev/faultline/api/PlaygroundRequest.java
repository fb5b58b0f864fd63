package dev.faultline.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the playground sends through a proxy: a chat completion, whole or streamed, with the
 * caller's own API key if they give one. The key is held here for the one call and never echoed,
 * not even in a refusal.
 */
record PlaygroundRequest(String model, JsonArray messages, boolean stream, String apiKey) {

  private static final Set<String> FIELDS = Set.of("model", "messages", "stream", "api_key");
  private static final int MAX_MODEL_CHARS = 200;

  /** @throws Responses.BadRequest naming the field */
  static PlaygroundRequest parse(JsonObject body) {
    for (String name : body.fieldNames()) {
      if (!FIELDS.contains(name)) {
        throw invalid(name.length() > 64 ? null : name, "unknown field; the playground takes "
            + String.join(", ", new TreeSet<>(FIELDS)));
      }
    }
    if (!(body.getValue("model") instanceof String model) || model.isBlank() || model.length() > MAX_MODEL_CHARS) {
      throw invalid("model", "required: the model to ask, e.g. \"gpt-4o-mini\" (1 to " + MAX_MODEL_CHARS
          + " characters)");
    }
    if (!(body.getValue("messages") instanceof JsonArray messages) || messages.isEmpty()) {
      throw invalid("messages", "required: a non-empty array of chat messages, e.g. "
          + "[{\"role\":\"user\",\"content\":\"Hello\"}]");
    }
    for (int i = 0; i < messages.size(); i++) {
      if (!(messages.getValue(i) instanceof JsonObject message) || !(message.getValue("role") instanceof String)) {
        throw invalid("messages", "entry " + i + " must be an object with a \"role\" and its \"content\"");
      }
    }
    Object stream = body.getValue("stream");
    if (stream != null && !(stream instanceof Boolean)) {
      throw invalid("stream", "must be true or false");
    }
    Object key = body.getValue("api_key");
    if (key != null && (!(key instanceof String text) || text.isBlank() || text.length() > 1024
        || text.chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
      // Never the value: it is a secret, even when malformed.
      throw invalid("api_key", "must be the API key as a string of printable characters without spaces");
    }
    return new PlaygroundRequest(model, messages, Boolean.TRUE.equals(stream), (String) key);
  }

  /** The chat completion's body as any client would send it. */
  JsonObject chatBody() {
    return new JsonObject().put("model", model).put("messages", messages.copy()).put("stream", stream);
  }

  @Override
  public String toString() {
    return "PlaygroundRequest[model=" + model + ", stream=" + stream + ", api_key=" + (apiKey == null ? "none" : "***")
        + "]";
  }

  private static Responses.BadRequest invalid(String field, String message) {
    return new Responses.BadRequest(field, (field == null ? "body" : field) + ": " + message);
  }
}
