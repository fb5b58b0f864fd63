package dev.faultline.cache;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A response body on its way to the caller, copied into a {@link Recording} chunk by chunk: the
 * caller still gets each chunk the moment it arrives, and back-pressure passes straight through.
 * Tells once how the body ended: {@code onEnd} when it ended normally, {@code onAbort} when it
 * broke or the caller went away ({@link #abort}).
 */
final class ResponseTee implements ReadStream<Buffer> {

  private final ReadStream<Buffer> source;
  private final Recording recording;
  private final Runnable onEnd;
  private final Runnable onAbort;
  private boolean over;

  ResponseTee(ReadStream<Buffer> source, Recording recording, Runnable onEnd, Runnable onAbort) {
    this.source = source;
    this.recording = recording;
    this.onEnd = onEnd;
    this.onAbort = onAbort;
  }

  /** The caller went away: whatever comes after is not a complete answer. */
  void abort() {
    if (!over) {
      over = true;
      onAbort.run();
    }
  }

  @Override
  public ResponseTee handler(Handler<Buffer> handler) {
    source.handler(handler == null ? null : chunk -> {
      recording.chunk(chunk);
      handler.handle(chunk);
    });
    return this;
  }

  @Override
  public ResponseTee endHandler(Handler<Void> handler) {
    source.endHandler(v -> {
      if (!over) {
        over = true;
        onEnd.run();
      }
      if (handler != null) {
        handler.handle(v);
      }
    });
    return this;
  }

  @Override
  public ResponseTee exceptionHandler(Handler<Throwable> handler) {
    source.exceptionHandler(error -> {
      abort();
      if (handler != null) {
        handler.handle(error);
      }
    });
    return this;
  }

  @Override
  public ResponseTee pause() {
    source.pause();
    return this;
  }

  @Override
  public ResponseTee resume() {
    source.resume();
    return this;
  }

  @Override
  public ResponseTee fetch(long amount) {
    source.fetch(amount);
    return this;
  }
}
