package dev.faultline.plugins.anthropic;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Small readers for JSON whose shape the other side chose. */
final class Json {

  private Json() {
  }

  /** {@code body} parsed as a JSON object, or {@code null} when it is not one. */
  static JsonObject object(Buffer body) {
    try {
      return body.length() > 0 && body.toJsonValue() instanceof JsonObject object ? object : null;
    } catch (DecodeException e) {
      return null;
    }
  }

  /** {@code text} parsed as a JSON object, or {@code null} when it is not one. */
  static JsonObject object(String text) {
    return text == null ? null : object(Buffer.buffer(text));
  }

  static long number(JsonObject object, String key) {
    Object value = object == null ? null : object.getValue(key);
    return value instanceof Number n ? n.longValue() : 0;
  }

  static String string(JsonObject object, String key) {
    Object value = object == null ? null : object.getValue(key);
    return value instanceof String s ? s : null;
  }

  static JsonObject objectAt(JsonObject object, String key) {
    Object value = object == null ? null : object.getValue(key);
    return value instanceof JsonObject o ? o : null;
  }

  static JsonArray arrayAt(JsonObject object, String key) {
    Object value = object == null ? null : object.getValue(key);
    return value instanceof JsonArray a ? a : null;
  }
}
