package dev.faultline.plugin.api;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a byte stream into server-sent-event blocks (text up to a blank line), however the network
 * split it, keeping each block's exact bytes so an untouched event goes out byte for byte.
 */
final class SseParser {

  /** One block: its bytes, and the event it carries ({@code null} for comments and keep-alives). */
  record Block(Buffer raw, SseEvent event) {
  }

  private Buffer pending = Buffer.buffer();
  private int blockStart;
  private int lineStart;
  private int scanned;

  /** The blocks that {@code chunk} completes. */
  List<Block> feed(Buffer chunk) {
    pending.appendBuffer(chunk);
    List<Block> blocks = new ArrayList<>();
    int length = pending.length();
    int i = scanned;
    while (i < length) {
      byte b = pending.getByte(i);
      if (b != '\n' && b != '\r') {
        i++;
        continue;
      }
      int next = i + 1;
      if (b == '\r') {
        if (next == length) {
          break; // a '\n' may follow in the next chunk
        }
        if (pending.getByte(next) == '\n') {
          next++;
        }
      }
      if (i == lineStart) {
        blocks.add(block(pending.getBuffer(blockStart, next)));
        blockStart = next;
      }
      lineStart = next;
      i = next;
    }
    scanned = i;
    compact();
    return blocks;
  }

  /** What is left when the stream ends: an event without its closing blank line, if any. */
  List<Block> finish() {
    if (blockStart >= pending.length()) {
      return List.of();
    }
    Block last = block(pending.getBuffer(blockStart, pending.length()));
    pending = Buffer.buffer();
    blockStart = lineStart = scanned = 0;
    return List.of(last);
  }

  private void compact() {
    if (blockStart == 0) {
      return;
    }
    pending = pending.getBuffer(blockStart, pending.length());
    lineStart -= blockStart;
    scanned -= blockStart;
    blockStart = 0;
  }

  private static Block block(Buffer raw) {
    String event = null;
    String id = null;
    StringBuilder data = null;
    for (String line : raw.toString(StandardCharsets.UTF_8).split("\r\n|\r|\n")) {
      if (line.isEmpty() || line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        case "event" -> event = value;
        case "id" -> id = value;
        default -> {
          // "retry" and unknown fields do not make an event
        }
      }
    }
    return new Block(raw, data == null ? null : new SseEvent(event, data.toString(), id));
  }
}
