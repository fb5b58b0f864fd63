package dev.faultline.plugins.mock;

import dev.faultline.plugin.api.SseEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Streams whose events are named by their {@code type} ({@code event: message_start}, …). */
final class NamedEvents {

  private NamedEvents() {
  }

  static Buffer of(JsonObject data) {
    return new SseEvent(data.getString("type"), data.encode(), null).toBuffer();
  }
}
