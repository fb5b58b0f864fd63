package dev.faultline.logs;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * How log entries travel on the event bus: published as a {@link LogEntry}, received as its
 * JSON. The JSON is made only when someone receives the entry, and once however many do (every
 * local consumer gets the same object: read it, never change it). Between cluster nodes it
 * travels as JSON text.
 */
final class LogEntryCodec implements MessageCodec<LogEntry, JsonObject> {

  static final String NAME = "faultline.log-entry";

  @Override
  public void encodeToWire(Buffer buffer, LogEntry entry) {
    Buffer json = entry.toJson().toBuffer();
    buffer.appendInt(json.length()).appendBuffer(json);
  }

  @Override
  public JsonObject decodeFromWire(int position, Buffer buffer) {
    int length = buffer.getInt(position);
    return new JsonObject(buffer.getBuffer(position + 4, position + 4 + length));
  }

  @Override
  public JsonObject transform(LogEntry entry) {
    return entry.toJson();
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
