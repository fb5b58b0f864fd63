package dev.faultline.plugin.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stream a provider pushes a body into: nothing lost before a handler, demand honoured, one end. */
class BufferStreamTest {

  private final List<String> seen = new ArrayList<>();

  @Test
  void holdsEverythingUntilAHandlerIsSet() {
    BufferStream stream = BufferStream.of(Buffer.buffer("body"));
    assertTrue(stream.finished());
    assertEquals(2, stream.pendingCount(), "the body and its end wait");
    stream.endHandler(v -> seen.add("end"));
    assertEquals(List.of(), seen, "the end never overtakes the body");
    stream.handler(b -> seen.add(b.toString()));
    assertEquals(List.of("body", "end"), seen);
    assertEquals(0, stream.pendingCount());
  }

  @Test
  void anEmptyBodyIsJustTheEnd() {
    BufferStream stream = BufferStream.of(Buffer.buffer());
    stream.handler(b -> seen.add(b.toString())).endHandler(v -> seen.add("end"));
    assertEquals(List.of("end"), seen);
  }

  @Test
  void pauseAndFetchDeliverExactlyWhatIsAskedFor() {
    BufferStream stream = new BufferStream();
    stream.pause();
    stream.handler(b -> seen.add(b.toString())).endHandler(v -> seen.add("end"));
    stream.write(Buffer.buffer("1")).write(Buffer.buffer("2")).write(Buffer.buffer("3")).end();
    assertEquals(List.of(), seen);
    stream.fetch(2);
    assertEquals(List.of("1", "2"), seen);
    stream.fetch(1);
    assertEquals(List.of("1", "2", "3", "end"), seen, "the end needs no demand of its own");
  }

  @Test
  void resumeAfterPauseAndAHugeFetchDoNotOverflow() {
    BufferStream stream = new BufferStream();
    stream.handler(b -> seen.add(b.toString()));
    stream.fetch(Long.MAX_VALUE - 1).fetch(Long.MAX_VALUE - 1);
    stream.write(Buffer.buffer("a"));
    stream.pause().write(Buffer.buffer("b"));
    assertEquals(List.of("a"), seen);
    stream.resume();
    assertEquals(List.of("a", "b"), seen);
  }

  @Test
  void aFailureReachesTheExceptionHandlerAndNothingFollowsIt() {
    BufferStream stream = new BufferStream();
    RuntimeException cause = new RuntimeException("upstream reset");
    List<Throwable> errors = new ArrayList<>();
    stream.handler(b -> seen.add(b.toString())).endHandler(v -> seen.add("end"));
    stream.write(Buffer.buffer("part")).fail(cause).write(Buffer.buffer("late")).end();
    assertEquals(List.of("part"), seen, "the failure waits for its handler; later writes are ignored");
    stream.exceptionHandler(errors::add);
    assertEquals(1, errors.size());
    assertSame(cause, errors.get(0));
    assertEquals(List.of("part"), seen, "no end after a failure");
  }

  @Test
  void aHandlerThatWritesBackDoesNotReenter() {
    BufferStream stream = new BufferStream();
    stream.handler(b -> {
      seen.add(b.toString());
      if (b.toString().equals("first")) {
        stream.write(Buffer.buffer("second"));
        seen.add("after write");
      }
    });
    stream.write(Buffer.buffer("first"));
    assertEquals(List.of("first", "after write", "second"), seen, "delivered in order, not nested");
    assertFalse(stream.finished());
  }
}
