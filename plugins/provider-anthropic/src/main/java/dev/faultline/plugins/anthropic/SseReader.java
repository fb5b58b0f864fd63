package dev.faultline.plugins.anthropic;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * Splits a server-sent-event byte stream into events as the bytes arrive, however the network
 * cut them: only whole lines are decoded (so a character split across two reads stays whole),
 * and an event is handed on at the blank line that ends it.
 */
final class SseReader {

  private final BiConsumer<String, String> onEvent;
  private Buffer partial = Buffer.buffer();
  private String event;
  private StringBuilder data;

  /** @param onEvent gets each event's {@code event:} name (or {@code null}) and its data */
  SseReader(BiConsumer<String, String> onEvent) {
    this.onEvent = onEvent;
  }

  void feed(Buffer chunk) {
    Buffer bytes = partial.length() == 0 ? chunk : partial.appendBuffer(chunk);
    int start = 0;
    for (int i = 0; i < bytes.length(); i++) {
      if (bytes.getByte(i) == '\n') {
        int end = i > start && bytes.getByte(i - 1) == '\r' ? i - 1 : i;
        line(bytes.getString(start, end, StandardCharsets.UTF_8.name()));
        start = i + 1;
      }
    }
    partial = start == bytes.length() ? Buffer.buffer() : bytes.getBuffer(start, bytes.length());
  }

  private void line(String line) {
    if (line.isEmpty()) {
      if (data != null) {
        onEvent.accept(event, data.toString());
      }
      event = null;
      data = null;
    } else if (line.startsWith("event:")) {
      event = value(line, 6);
    } else if (line.startsWith("data:")) {
      data = data == null ? new StringBuilder() : data.append('\n');
      data.append(value(line, 5));
    }
    // id:, retry: and comments (": ...") carry nothing a chat completion stream keeps.
  }

  private static String value(String line, int from) {
    return line.startsWith(" ", from) ? line.substring(from + 1) : line.substring(from);
  }
}
