package dev.faultline.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.faultline.plugin.api.SseEvent;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one SSE framing reader: every line ending the specification allows, comments, and the same
 * blocks whatever sizes the network cuts the bytes into.
 */
class SseParserTest {

  /** What a reader learns from a stream: each block's bytes, end offset and event. */
  private record Seen(String raw, long end, SseEvent event) {
  }

  @Test
  void lfCrlfAndLoneCrEndLinesAndBlocksAlike() {
    for (String eol : List.of("\n", "\r\n", "\r")) {
      String stream = "event: delta" + eol + "id: 7" + eol + "data: one" + eol + "data: two" + eol + eol
          + "data: [DONE]" + eol + eol;
      List<Seen> seen = everyCut(stream);
      assertEquals(List.of(new SseEvent("delta", "one\ntwo", "7"), SseEvent.of("[DONE]")),
          seen.stream().map(Seen::event).toList(), "line ends " + escape(eol));
      assertEquals(stream, String.join("", seen.stream().map(Seen::raw).toList()), "every byte kept, in order");
    }
  }

  @Test
  void mixedLineEndsInOneStream() {
    String stream = "data: a\r\ndata: b\n\r\ndata: c\r\r\ndata: d\n\n";
    List<Seen> seen = everyCut(stream);
    assertEquals(List.of(SseEvent.of("a\nb"), SseEvent.of("c"), SseEvent.of("d")), events(seen));
  }

  @Test
  void commentsAndKeepAlivesAreBlocksWithoutAnEvent() {
    String stream = ": keep-alive\n\n:another\r\ndata: x\r\n: inside an event\r\n\r\nretry: 3000\n\n";
    List<Seen> seen = everyCut(stream);
    assertEquals(3, seen.size(), seen.toString());
    assertNull(seen.get(0).event(), "a comment alone makes no event");
    assertEquals(SseEvent.of("x"), seen.get(1).event(), "a comment line inside an event is skipped");
    assertNull(seen.get(2).event(), "retry alone makes no event");
  }

  @Test
  void fieldsFollowTheSpecification() {
    List<Seen> seen = everyCut("data:no space\ndata:  two spaces\ndata\nfoo: bar\n\ndata:\n\n");
    assertEquals(List.of(SseEvent.of("no space\n two spaces\n"), SseEvent.of("")), events(seen),
        "one leading space is dropped, a bare 'data' adds an empty line, unknown fields are ignored");
  }

  @Test
  void endOffsetsCountEveryByteFed() {
    String stream = "data: é😀\r\n\r\n: c\n\ndata: z\r\r";
    List<Seen> seen = everyCut(stream);
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    String first = "data: é😀\r\n\r\n";
    assertEquals(List.of((long) first.getBytes(StandardCharsets.UTF_8).length,
        (long) first.getBytes(StandardCharsets.UTF_8).length + 5, (long) bytes.length),
        seen.stream().map(Seen::end).toList());
  }

  @Test
  void aBlockEndingInALoneCrIsNotHeldForTheNextChunk() {
    SseParser parser = new SseParser();
    List<SseParser.Block> first = parser.feed(Buffer.buffer("data: a\r\r"));
    assertEquals(1, first.size(), "the blank line is complete: a LF may follow, but the event is done");
    assertEquals(SseEvent.of("a"), first.get(0).event());

    List<SseParser.Block> second = parser.feed(Buffer.buffer("\ndata: b\r\n\r\n"));
    assertEquals(1, second.size(), "the LF completing the CRLF is no blank line of its own");
    assertEquals("\ndata: b\r\n\r\n", second.get(0).raw().toString(), "and is carried, not lost");
    assertEquals(SseEvent.of("b"), second.get(0).event());
  }

  @Test
  void finishReturnsAnUnterminatedEventAndNothingWhenAllWasClosed() {
    SseParser parser = new SseParser();
    assertEquals(1, parser.feed(Buffer.buffer("data: done\n\ndata: cut sho")).size());
    assertEquals(13, parser.buffered(), "only the unfinished block is held");
    List<SseParser.Block> rest = parser.finish();
    assertEquals(1, rest.size());
    assertEquals("data: cut sho", rest.get(0).raw().toString());
    assertEquals(SseEvent.of("cut sho"), rest.get(0).event());
    assertEquals(List.of(), parser.finish(), "nothing left twice");

    SseParser closed = new SseParser();
    closed.feed(Buffer.buffer("data: x\n\n"));
    assertEquals(List.of(), closed.finish());
    assertEquals(0, closed.buffered());
  }

  /**
   * The blocks of {@code stream} fed in one chunk, checked against chunks of every smaller size:
   * the events and the bytes must agree (a LF split from its CR may move to the next block).
   */
  private static List<Seen> everyCut(String stream) {
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    List<Seen> whole = null;
    for (int size = bytes.length; size >= 1; size--) {
      SseParser parser = new SseParser();
      List<Seen> seen = new ArrayList<>();
      for (int i = 0; i < bytes.length; i += size) {
        parser.feed(Buffer.buffer().appendBytes(bytes, i, Math.min(size, bytes.length - i))).forEach(b -> seen.add(seen(b)));
      }
      parser.finish().forEach(b -> seen.add(seen(b)));
      if (whole == null) {
        whole = seen;
      }
      assertEquals(events(whole), events(seen), "chunks of " + size + " bytes of " + escape(stream));
      assertEquals(stream, String.join("", seen.stream().map(Seen::raw).toList()), "chunks of " + size + " bytes");
    }
    return whole;
  }

  private static Seen seen(SseParser.Block block) {
    return new Seen(block.raw().toString(StandardCharsets.UTF_8), block.end(), block.event());
  }

  private static List<SseEvent> events(List<Seen> seen) {
    return seen.stream().map(Seen::event).filter(e -> e != null).toList();
  }

  private static String escape(String text) {
    return text.replace("\r", "\\r").replace("\n", "\\n");
  }
}
