package dev.faultline.sse;

import dev.faultline.plugin.api.SseEvent;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a server-sent-event byte stream into blocks (the text up to a blank line), however the
 * network split it: the one place the code base reads SSE framing. Lines end with CRLF, LF or a
 * lone CR, mixed at will, as the SSE specification allows; a line starting with {@code :} is a
 * comment. Each block keeps its exact bytes, so an untouched event goes out byte for byte.
 *
 * <p>A block ends as soon as its blank line is seen, even when that line ends with a CR that is
 * the last byte received so far: a LF arriving next belongs to the same line break, and is
 * carried at the start of the next block instead of holding this one back. Used on one thread.
 */
public final class SseParser {

  /** One block: its exact bytes, where it ends in the stream, and the event it carries. */
  public static final class Block {
    private final Buffer raw;
    private final long end;
    private SseEvent event;
    private boolean parsed;

    Block(Buffer raw, long end) {
      this.raw = raw;
      this.end = end;
    }

    /** The block's bytes, its closing blank line included. */
    public Buffer raw() {
      return raw;
    }

    /** The stream offset just past this block: the number of bytes fed up to its end. */
    public long end() {
      return end;
    }

    /**
     * The event it carries, or {@code null} for a block with no {@code data} field (comments,
     * keep-alives, a lone {@code retry}). Parsed on first use: a reader that only needs where
     * events end pays nothing for it.
     */
    public SseEvent event() {
      if (!parsed) {
        event = parse(raw);
        parsed = true;
      }
      return event;
    }
  }

  private Buffer pending = Buffer.buffer();
  /** Stream offset of {@code pending}'s first byte. */
  private long pendingOffset;
  private int blockStart;
  private int lineStart;
  private int scanned;
  /** The last byte seen was a CR ending a line: a LF right after it is part of the same line break. */
  private boolean afterCr;

  /** The blocks that {@code chunk} completes, in order. */
  public List<Block> feed(Buffer chunk) {
    pending.appendBuffer(chunk);
    List<Block> blocks = new ArrayList<>();
    int length = pending.length();
    int i = scanned;
    while (i < length) {
      byte b = pending.getByte(i);
      if (afterCr) {
        afterCr = false;
        if (b == '\n') {
          lineStart = ++i;
          continue;
        }
      }
      if (b != '\n' && b != '\r') {
        i++;
        continue;
      }
      int next = i + 1;
      if (b == '\r') {
        if (next == length) {
          afterCr = true;
        } else if (pending.getByte(next) == '\n') {
          next++;
        }
      }
      if (i == lineStart) {
        blocks.add(new Block(pending.getBuffer(blockStart, next), pendingOffset + next));
        blockStart = next;
      }
      lineStart = next;
      i = next;
    }
    scanned = i;
    compact();
    return blocks;
  }

  /**
   * What is left when the stream ends: an event without its closing blank line (or the last LF of
   * a CRLF split from its block), if any. The SSE specification drops an unfinished event; a
   * relay that must pass every byte on takes it from here.
   */
  public List<Block> finish() {
    if (blockStart >= pending.length()) {
      return List.of();
    }
    Block last = new Block(pending.getBuffer(blockStart, pending.length()), pendingOffset + pending.length());
    pendingOffset += pending.length();
    pending = Buffer.buffer();
    blockStart = lineStart = scanned = 0;
    afterCr = false;
    return List.of(last);
  }

  /** Bytes held for a block not finished yet: what a reader with a size limit watches. */
  public int buffered() {
    return pending.length() - blockStart;
  }

  private void compact() {
    if (blockStart == 0) {
      return;
    }
    pending = pending.getBuffer(blockStart, pending.length());
    pendingOffset += blockStart;
    lineStart -= blockStart;
    scanned -= blockStart;
    blockStart = 0;
  }

  /** The event of one block, field by field as the SSE specification reads them. */
  private static SseEvent parse(Buffer raw) {
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
    return data == null ? null : new SseEvent(event, data.toString(), id);
  }
}
