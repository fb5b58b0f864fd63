package dev.faultline.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a recorded stream's events end, by the same SSE framing the rest of the host reads. */
class RecordingTest {

  @Test
  void eventEndsAreFoundWhateverTheLineEnds() {
    for (String eol : List.of("\n", "\r\n", "\r")) {
      String first = "data: a" + eol + eol;
      String second = ": ping" + eol + eol;
      String third = "data: [DONE]" + eol + eol;
      Recording recording = new Recording(true, 1 << 20);
      recording.chunk(Buffer.buffer(first + second.substring(0, 3)));
      recording.chunk(Buffer.buffer(second.substring(3) + third));
      assertEquals(List.of(first.length(), first.length() + second.length(), first.length() + second.length()
          + third.length()), recording.events().stream().map(CacheEntry.Event::end).toList(), "line ends "
          + eol.replace("\r", "\\r").replace("\n", "\\n"));
    }
  }

  @Test
  void theBodysEndClosesAnUnfinishedEvent() {
    Recording recording = new Recording(true, 1 << 20);
    recording.chunk(Buffer.buffer("data: a\n\ndata: cut"));
    assertEquals(List.of(9, 18), recording.events().stream().map(CacheEntry.Event::end).toList());
  }

  @Test
  void aWholeBodyHasNoEventsAndAnOversizedOneIsDropped() {
    Recording whole = new Recording(false, 1 << 20);
    whole.chunk(Buffer.buffer("{\"a\":1}\n\n"));
    assertNull(whole.events());

    Recording big = new Recording(true, 8);
    big.chunk(Buffer.buffer("data: a\n\n"));
    assertFalse(big.complete());
  }
}
