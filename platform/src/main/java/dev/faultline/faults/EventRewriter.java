package dev.faultline.faults;

import dev.faultline.plugin.api.BufferStream;
import dev.faultline.plugin.api.EventAction;
import dev.faultline.plugin.api.EventFault;
import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.plugin.api.SseEvent;
import dev.faultline.sse.SseParser;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * Runs an {@link EventFault} over a streamed response: the body it returns parses the upstream's
 * bytes into events, asks the fault about each, in order, and delivers what it answers. While an
 * action waits out its delay, or the caller reads slowly, the upstream is paused: nothing is
 * buffered beyond a few events. A cut fails the body (the host then resets the caller's
 * connection) and cancels the upstream.
 *
 * <p>How the host applies {@code FaultDecision.events}: the engine stays here, plugins only
 * answer {@link EventFault#onEvent}. Use from the response's event loop only.
 */
final class EventRewriter implements ReadStream<Buffer> {

  /** Chunks waiting for the caller, or events waiting for a decision, before the upstream pauses. */
  private static final int HIGH_WATER = 16;
  private static final EventFault PASS_ALL = (event, index, elapsed) -> EventAction.pass();

  private final Vertx vertx;
  private final ReadStream<Buffer> upstream;
  private final Runnable cancelUpstream;
  private final Consumer<Throwable> onFaultError;
  private final SseParser parser = new SseParser();
  private final Deque<SseParser.Block> inbox = new ArrayDeque<>();
  private final BufferStream out = new BufferStream();
  private EventFault fault;
  private long startNanos;
  private int index;
  private long delayTimer = -1;
  private long deadlineTimer = -1;
  private boolean started;
  private boolean delaying;
  private boolean upstreamPaused = true;
  private boolean upstreamEnded;
  private boolean done;

  private EventRewriter(Vertx vertx, ProviderResponse response, EventFault fault, Consumer<Throwable> onFaultError) {
    this.vertx = vertx;
    this.upstream = response.body();
    this.cancelUpstream = response.cancel();
    this.fault = fault;
    this.onFaultError = onFaultError;
  }

  /**
   * {@code response} with its events passed through {@code fault}; a response that is not an
   * event stream is returned as is.
   *
   * @param onFaultError told when {@code fault} throws (the rest of the stream then passes untouched)
   */
  static ProviderResponse rewrite(Vertx vertx, ProviderResponse response, EventFault fault,
                                  Consumer<Throwable> onFaultError) {
    if (!response.eventStream()) {
      return response;
    }
    EventRewriter body = new EventRewriter(vertx, response, fault, onFaultError);
    // The rewritten body is not the upstream's length: an upstream that sized its stream (rather
    // than chunking it) would otherwise have the caller's connection cut at the old length.
    return new ProviderResponse(response.status(), response.headers().without("content-length"), body, body::cancel);
  }

  @Override
  public EventRewriter handler(Handler<Buffer> handler) {
    out.handler(handler);
    if (handler != null && !started) {
      start();
    }
    return this;
  }

  @Override
  public EventRewriter exceptionHandler(Handler<Throwable> handler) {
    out.exceptionHandler(handler);
    return this;
  }

  @Override
  public EventRewriter endHandler(Handler<Void> handler) {
    out.endHandler(handler);
    return this;
  }

  @Override
  public EventRewriter pause() {
    out.pause();
    return this;
  }

  @Override
  public EventRewriter resume() {
    out.resume();
    flow();
    return this;
  }

  @Override
  public EventRewriter fetch(long amount) {
    out.fetch(amount);
    flow();
    return this;
  }

  private void start() {
    started = true;
    startNanos = System.nanoTime();
    upstream.pause();
    upstream.exceptionHandler(this::upstreamFailed);
    upstream.endHandler(v -> upstreamEnded());
    upstream.handler(this::received);
    fault.cutAfter().ifPresent(limit -> deadlineTimer = vertx.setTimer(millis(limit), id -> {
      deadlineTimer = -1;
      cut();
    }));
    flow();
  }

  private void received(Buffer chunk) {
    if (!done) {
      inbox.addAll(parser.feed(chunk));
      process();
    }
  }

  private void upstreamEnded() {
    if (!done) {
      upstreamEnded = true;
      inbox.addAll(parser.finish());
      process();
    }
  }

  private void upstreamFailed(Throwable error) {
    if (!done) {
      stop();
      out.fail(error);
    }
  }

  /** Acts on waiting events in order until one must wait out a delay. */
  private void process() {
    while (!done && !delaying && !inbox.isEmpty()) {
      SseParser.Block block = inbox.poll();
      if (block.event() == null) {
        out.write(block.raw());
        continue;
      }
      EventAction action = decide(block.event());
      if (action.delay().isZero()) {
        perform(action, block);
      } else {
        delaying = true;
        delayTimer = vertx.setTimer(millis(action.delay()), id -> {
          delayTimer = -1;
          delaying = false;
          perform(action, block);
          process();
        });
      }
    }
    if (!done && !delaying && inbox.isEmpty() && upstreamEnded) {
      stop();
      out.end();
    }
    flow();
  }

  private EventAction decide(SseEvent event) {
    long elapsed = (System.nanoTime() - startNanos) / 1_000_000;
    try {
      EventAction action = fault.onEvent(event, index++, elapsed);
      return action == null ? EventAction.pass() : action;
    } catch (RuntimeException e) {
      fault = PASS_ALL;
      onFaultError.accept(e);
      return EventAction.pass();
    }
  }

  private void perform(EventAction action, SseParser.Block block) {
    if (done) {
      return;
    }
    switch (action.kind()) {
      case PASS -> out.write(block.raw());
      case DROP -> {
        // nothing goes out for it
      }
      case REPLACE -> action.events().forEach(e -> out.write(e.toBuffer()));
      case END -> {
        action.events().forEach(e -> out.write(e.toBuffer()));
        stop();
        cancelUpstream.run();
        out.end();
      }
      case CUT -> cut();
    }
  }

  private void cut() {
    if (done) {
      return;
    }
    stop();
    cancelUpstream.run();
    out.fail(new StreamCut());
  }

  /** The caller went away: stop everything, and the upstream too. */
  private void cancel() {
    if (!done) {
      stop();
    }
    cancelUpstream.run();
  }

  private void stop() {
    done = true;
    inbox.clear();
    if (delayTimer >= 0) {
      vertx.cancelTimer(delayTimer);
    }
    if (deadlineTimer >= 0) {
      vertx.cancelTimer(deadlineTimer);
    }
  }

  /** Lets the upstream flow only while there is room and nothing waits on a delay. */
  private void flow() {
    boolean open = started && !done && !upstreamEnded && !delaying
        && inbox.size() < HIGH_WATER && out.pendingCount() < HIGH_WATER;
    if (open && upstreamPaused) {
      upstreamPaused = false;
      upstream.resume();
    } else if (!open && !upstreamPaused && !upstreamEnded) {
      upstreamPaused = true;
      upstream.pause();
    }
  }

  private static long millis(Duration duration) {
    return Math.max(1, (duration.toNanos() + 999_999) / 1_000_000);
  }

  /** The stream was cut on purpose; the caller's connection is reset. */
  private static final class StreamCut extends RuntimeException {
    StreamCut() {
      super("stream cut by a fault", null, false, false);
    }
  }
}
