package dev.faultline.logs;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * How log entries travel on the event bus. Within one JVM every consumer (the writer, the
 * metrics, each live stream) gets the published object itself instead of a copy each: an entry
 * is never changed once published. Between cluster nodes it travels as JSON.
 */
final class LogEntryCodec implements MessageCodec<JsonObject, JsonObject> {

  static final String NAME = "faultline.log-entry";

  @Override
  public void encodeToWire(Buffer buffer, JsonObject entry) {
    Buffer json = entry.toBuffer();
    buffer.appendInt(json.length()).appendBuffer(json);
  }

  @Override
  public JsonObject decodeFromWire(int position, Buffer buffer) {
    int length = buffer.getInt(position);
    return new JsonObject(buffer.getBuffer(position + 4, position + 4 + length));
  }

  @Override
  public JsonObject transform(JsonObject entry) {
    return entry;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
