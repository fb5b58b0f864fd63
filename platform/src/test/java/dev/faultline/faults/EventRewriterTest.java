package dev.faultline.faults;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.plugin.api.BufferStream;
import dev.faultline.plugin.api.EventAction;
import dev.faultline.plugin.api.EventFault;
import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.plugin.api.SseEvent;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The host's event-level stream engine on its own: events parsed however the bytes are
 * split, untouched ones relayed byte for byte, every action, delays in order, a cut, a deadline,
 * a fault that throws, and back-pressure reaching the upstream.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventRewriterTest {

  /** Three events as a real upstream might frame them: CRLF, a multi-line data field, a comment, non-ASCII. */
  private static final String STREAM = ": keep-alive\r\n\r\n"
      + "event: delta\r\nid: 7\r\ndata: {\"content\":\"h\u00e9llo \uD83D\uDE00\"}\r\n\r\n"
      + "data: line one\ndata: line two\n\n"
      + "data: [DONE]\n\n";

  private Vertx vertx;
  private Context context;

  /** What came out of a rewritten stream. */
  private record Out(String body, Throwable error) {
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
  }

  @Test
  void untouchedEventsGoOutByteForByteHoweverTheyWereSplit() {
    byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
    for (int size : new int[] {1, 2, 3, 5, 7, 64, bytes.length}) {
      List<SseEvent> seen = new ArrayList<>();
      Out out = run(chunks(bytes, size), (event, index, elapsed) -> {
        seen.add(event);
        return EventAction.pass();
      }, e -> { });
      assertEquals(STREAM, out.body(), "chunks of " + size + " bytes");
      assertNull(out.error());
      assertEquals(List.of(new SseEvent("delta", "{\"content\":\"h\u00e9llo \uD83D\uDE00\"}", "7"),
          SseEvent.of("line one\nline two"), SseEvent.of("[DONE]")), seen, "the comment is not an event");
    }
  }

  @Test
  void dropReplaceAndEndDoWhatTheySay() {
    Out out = run(chunks(STREAM.getBytes(StandardCharsets.UTF_8), 9), (event, index, elapsed) -> switch (index) {
      case 0 -> EventAction.drop();
      case 1 -> EventAction.replace(SseEvent.of("a"), SseEvent.of("b"));
      default -> EventAction.end(SseEvent.of("{\"error\":{}}"));
    }, e -> { });
    assertEquals(": keep-alive\r\n\r\ndata: a\n\ndata: b\n\ndata: {\"error\":{}}\n\n", out.body());
    assertNull(out.error(), "an end is a normal end");
  }

  @Test
  void aCutFailsTheStreamAfterWhatWentBefore() {
    Out out = run(chunks(STREAM.getBytes(StandardCharsets.UTF_8), 4),
        (event, index, elapsed) -> index < 1 ? EventAction.pass() : EventAction.cut(), e -> { });
    assertTrue(out.body().endsWith("\uD83D\uDE00\"}\r\n\r\n") && !out.body().contains("line one"), out.body());
    assertTrue(out.error() != null && out.error().getMessage().contains("cut"), String.valueOf(out.error()));
  }

  @Test
  void delaysKeepTheOrderAndHoldLaterEventsBack() {
    long start = System.nanoTime();
    Out out = run(chunks(STREAM.getBytes(StandardCharsets.UTF_8), STREAM.length()),
        (event, index, elapsed) -> index == 0 ? EventAction.pass().after(Duration.ofMillis(150)) : EventAction.pass(),
        e -> { });
    assertEquals(STREAM, out.body(), "the delayed first event still comes first");
    assertTrue((System.nanoTime() - start) / 1_000_000 >= 150);
  }

  @Test
  void aFaultThatThrowsIsReportedOnceAndTheRestPassesUntouched() {
    AtomicInteger reported = new AtomicInteger();
    Out out = run(chunks(STREAM.getBytes(StandardCharsets.UTF_8), 10), (event, index, elapsed) -> {
      throw new IllegalStateException("third-party bug");
    }, e -> reported.incrementAndGet());
    assertEquals(STREAM, out.body());
    assertEquals(1, reported.get());
  }

  @Test
  void aDeadlineCutsASilentUpstream() {
    BufferStream upstream = new BufferStream();
    Promise<Out> result = Promise.promise();
    context.runOnContext(v -> {
      upstream.write(Buffer.buffer("data: first\n\n"));
      collect(EventRewriter.rewrite(vertx, sse(upstream), new EventFault() {
        @Override
        public EventAction onEvent(SseEvent event, int index, long elapsedMillis) {
          return EventAction.pass();
        }

        @Override
        public Optional<Duration> cutAfter() {
          return Optional.of(Duration.ofMillis(100));
        }
      }, e -> { }), result);
    });
    Out out = await(result.future());
    assertEquals("data: first\n\n", out.body());
    assertTrue(out.error() != null, "cut while the upstream said nothing more");
  }

  @Test
  void aReaderThatStopsReadingPausesTheUpstream() {
    BufferStream upstream = new BufferStream();
    Promise<Out> result = Promise.promise();
    AtomicBoolean backedUp = new AtomicBoolean();
    context.runOnContext(v -> {
      ProviderResponse rewritten = EventRewriter.rewrite(vertx, sse(upstream), (e, i, t) -> EventAction.pass(), e -> { });
      Buffer received = Buffer.buffer();
      rewritten.body().handler(received::appendBuffer);
      rewritten.body().endHandler(x -> result.complete(new Out(received.toString(), null)));
      rewritten.body().pause();
      for (int i = 0; i < 200; i++) {
        upstream.write(Buffer.buffer("data: " + i + "\n\n"));
      }
      upstream.end();
      // The rewriter took a few events, then stopped pulling: the rest wait upstream.
      backedUp.set(upstream.pendingCount() > 100);
      rewritten.body().resume();
    });
    Out out = await(result.future());
    assertTrue(backedUp.get(), "the upstream was paused while the reader was");
    assertEquals(200, out.body().split("\n\n").length);
  }

  @Test
  void aResponseThatIsNotAStreamIsLeftAlone() {
    ProviderResponse json = ProviderResponse.of(200, Headers.of("content-type", "application/json"), Buffer.buffer("{}"));
    assertSame(json, EventRewriter.rewrite(vertx, json, (e, i, t) -> EventAction.cut(), e -> { }));
  }

  private Out run(List<Buffer> chunks, EventFault fault, Consumer<Throwable> onError) {
    Promise<Out> result = Promise.promise();
    context.runOnContext(v -> {
      BufferStream upstream = new BufferStream();
      upstream.pause();
      collect(EventRewriter.rewrite(vertx, sse(upstream), fault, onError), result);
      chunks.forEach(upstream::write);
      upstream.end();
    });
    return await(result.future());
  }

  private static void collect(ProviderResponse response, Promise<Out> result) {
    Buffer received = Buffer.buffer();
    response.body().exceptionHandler(e -> result.tryComplete(new Out(received.toString(StandardCharsets.UTF_8), e)));
    response.body().endHandler(v -> result.tryComplete(new Out(received.toString(StandardCharsets.UTF_8), null)));
    response.body().handler(received::appendBuffer);
    response.body().resume();
  }

  private static ProviderResponse sse(BufferStream body) {
    return new ProviderResponse(200, Headers.of("content-type", "text/event-stream"), body, () -> { });
  }

  private static List<Buffer> chunks(byte[] bytes, int size) {
    List<Buffer> chunks = new ArrayList<>();
    for (int i = 0; i < bytes.length; i += size) {
      chunks.add(Buffer.buffer().appendBytes(bytes, i, Math.min(size, bytes.length - i)));
    }
    return chunks;
  }

}
