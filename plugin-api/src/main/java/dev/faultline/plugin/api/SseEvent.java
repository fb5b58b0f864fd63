package dev.faultline.plugin.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One server-sent event, as OpenAI frames them: {@code data: {...}\n\n}.
 *
 * @param event the {@code event:} field, or {@code null} (OpenAI sends none)
 * @param data  the {@code data:} lines joined with {@code \n}
 * @param id    the {@code id:} field, or {@code null}
 */
public record SseEvent(String event, String data, String id) {

  public SseEvent {
    Objects.requireNonNull(data, "data");
  }

  /** An event carrying only {@code data}. */
  public static SseEvent of(String data) {
    return new SseEvent(null, data, null);
  }

  /** Whether this is OpenAI's end-of-stream event, {@code data: [DONE]}. */
  public boolean isDone() {
    return OpenAiFormat.DONE.equals(data.trim());
  }

  /** The data parsed as a JSON object, or {@code null} when it is not one. */
  public JsonObject json() {
    String text = data.trim();
    if (!text.startsWith("{")) {
      return null;
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      return null;
    }
  }

  /** The event on the wire, ending with the blank line that closes it. */
  public Buffer toBuffer() {
    StringBuilder text = new StringBuilder(data.length() + 16);
    if (event != null) {
      text.append("event: ").append(event).append('\n');
    }
    if (id != null) {
      text.append("id: ").append(id).append('\n');
    }
    for (String line : data.split("\n", -1)) {
      text.append("data: ").append(line).append('\n');
    }
    return Buffer.buffer(text.append('\n').toString());
  }
}
