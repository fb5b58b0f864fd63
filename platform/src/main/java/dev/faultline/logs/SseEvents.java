package dev.faultline.logs;

import dev.faultline.plugin.api.SseEvent;
import dev.faultline.sse.SseParser;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Splits a server-sent-event stream into events as its bytes arrive, and hands on the
 * {@code data} of each. Holds only the event being received; one larger than a megabyte is not
 * an LLM stream chunk, and stops the scan rather than the memory. An event the stream ends in the
 * middle of is dropped, as the SSE specification says.
 */
final class SseEvents {

  private static final int MAX_EVENT_BYTES = 1 << 20;

  private final Consumer<String> onData;
  private final SseParser parser = new SseParser();
  private boolean broken;

  SseEvents(Consumer<String> onData) {
    this.onData = onData;
  }

  void feed(Buffer chunk) {
    if (broken) {
      return;
    }
    for (SseParser.Block block : parser.feed(chunk)) {
      SseEvent event = block.event();
      if (event != null) {
        onData.accept(event.data());
      }
    }
    if (parser.buffered() > MAX_EVENT_BYTES) {
      broken = true;
    }
  }
}
