package dev.faultline.cache;

import dev.faultline.sse.SseParser;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A copy of a response body taken as it passes to the caller, and for an event stream where each
 * server-sent event ends (at a blank line) and when it arrived. Gives up, keeping nothing, once
 * the body outgrows {@code limit}. Used on one event loop.
 */
final class Recording {

  private final boolean eventStream;
  private final long limit;
  private final long startNanos = System.nanoTime();
  private final List<CacheEntry.Event> events = new ArrayList<>();
  private final SseParser parser;
  private Buffer body = Buffer.buffer();

  Recording(boolean eventStream, long limit) {
    this.eventStream = eventStream;
    this.limit = limit;
    this.parser = eventStream ? new SseParser() : null;
  }

  void chunk(Buffer chunk) {
    if (body == null) {
      return;
    }
    if (body.length() + (long) chunk.length() > limit) {
      body = null;
      return;
    }
    body.appendBuffer(chunk);
    if (eventStream) {
      long atMillis = (System.nanoTime() - startNanos) / 1_000_000;
      parser.feed(chunk).forEach(block -> events.add(new CacheEntry.Event((int) block.end(), atMillis)));
    }
  }

  /** Whether the whole body fit. */
  boolean complete() {
    return body != null;
  }

  Buffer body() {
    return body;
  }

  /** The events of a stream, the last one closed by the body's end; {@code null} for a whole body. */
  List<CacheEntry.Event> events() {
    if (!eventStream) {
      return null;
    }
    int lastEnd = events.isEmpty() ? 0 : events.get(events.size() - 1).end();
    if (lastEnd < body.length()) {
      events.add(new CacheEntry.Event(body.length(), (System.nanoTime() - startNanos) / 1_000_000));
    }
    return List.copyOf(events);
  }
}
