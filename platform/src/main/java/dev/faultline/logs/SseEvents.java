package dev.faultline.logs;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a server-sent-event stream into events as its bytes arrive, and hands on the
 * {@code data} of each. Holds only the event being received; one larger than a megabyte is not
 * an LLM stream chunk, and stops the scan rather than the memory.
 */
final class SseEvents {

  private static final int MAX_EVENT_BYTES = 1 << 20;
  private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

  private final Consumer<String> onData;
  private Buffer pending = Buffer.buffer();
  private StringBuilder data;
  private boolean broken;

  SseEvents(Consumer<String> onData) {
    this.onData = onData;
  }

  void feed(Buffer chunk) {
    if (broken) {
      return;
    }
    Buffer bytes = pending.length() == 0 ? chunk : pending.appendBuffer(chunk);
    int lineStart = 0;
    for (int i = 0; i < bytes.length(); i++) {
      if (bytes.getByte(i) == '\n') {
        int end = i > lineStart && bytes.getByte(i - 1) == '\r' ? i - 1 : i;
        line(bytes, lineStart, end);
        lineStart = i + 1;
      }
    }
    // Keep our own copy of the unfinished line: the chunk itself goes on to the caller.
    pending = bytes.getBuffer(lineStart, bytes.length());
    if (pending.length() > MAX_EVENT_BYTES || data != null && data.length() > MAX_EVENT_BYTES) {
      broken = true;
      pending = Buffer.buffer();
      data = null;
    }
  }

  private void line(Buffer bytes, int start, int end) {
    if (start == end) {
      if (data != null) {
        String event = data.toString();
        data = null;
        onData.accept(event);
      }
    } else if (startsWithData(bytes, start, end)) {
      int from = start + DATA.length;
      if (from < end && bytes.getByte(from) == ' ') {
        from++;
      }
      String value = bytes.getString(from, end, "UTF-8");
      if (data == null) {
        data = new StringBuilder(value);
      } else {
        data.append('\n').append(value);
      }
    }
  }

  private static boolean startsWithData(Buffer bytes, int start, int end) {
    if (end - start < DATA.length) {
      return false;
    }
    for (int i = 0; i < DATA.length; i++) {
      if (bytes.getByte(start + i) != DATA[i]) {
        return false;
      }
    }
    return true;
  }
}
