package dev.faultline.plugin.api;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A {@link ReadStream} a producer pushes buffers into: the body of a response a provider makes
 * itself (a fixed JSON document, or an event stream paced by timers).
 *
 * <p>It honours {@code pause}/{@code fetch}: what the reader does not want yet waits in memory,
 * and nothing is delivered before a handler is set. Use it from one Vert.x context only (the
 * one the provider's callbacks run on); it is not thread-safe.
 */
public final class BufferStream implements ReadStream<Buffer> {

  private static final Object END = new Object();

  private final Deque<Object> pending = new ArrayDeque<>();
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE;
  private boolean finished;
  private boolean delivering;

  /** A stream that yields {@code body} (when not empty) and ends. */
  public static BufferStream of(Buffer body) {
    BufferStream stream = new BufferStream();
    if (body.length() > 0) {
      stream.write(body);
    }
    stream.end();
    return stream;
  }

  /** Queues {@code chunk} for the reader. Ignored after {@link #end} or {@link #fail}. */
  public BufferStream write(Buffer chunk) {
    return push(chunk);
  }

  /** Marks the normal end of the body. */
  public BufferStream end() {
    return push(END);
  }

  /** Ends the body with an error: the reader's exception handler gets {@code cause}. */
  public BufferStream fail(Throwable cause) {
    return push(cause);
  }

  /** Whether {@link #end} or {@link #fail} was called. */
  public boolean finished() {
    return finished;
  }

  /** How many items wait for the reader's demand; a producer may slow down when it grows. */
  public int pendingCount() {
    return pending.size();
  }

  private BufferStream push(Object item) {
    if (finished) {
      return this;
    }
    finished = item != null && !(item instanceof Buffer);
    pending.add(item);
    drain();
    return this;
  }

  /** Delivers what the reader can take now; an end or failure waits for its handler. */
  private void drain() {
    if (delivering) {
      return;
    }
    delivering = true;
    try {
      while (!pending.isEmpty()) {
        Object item = pending.peek();
        if (item instanceof Buffer buffer) {
          if (demand == 0 || handler == null) {
            return;
          }
          pending.poll();
          if (demand != Long.MAX_VALUE) {
            demand--;
          }
          handler.handle(buffer);
        } else if (item == END) {
          if (endHandler == null) {
            return;
          }
          pending.poll();
          endHandler.handle(null);
        } else {
          if (exceptionHandler == null) {
            return;
          }
          pending.poll();
          exceptionHandler.handle((Throwable) item);
        }
      }
    } finally {
      delivering = false;
    }
  }

  @Override
  public BufferStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    drain();
    return this;
  }

  @Override
  public BufferStream handler(Handler<Buffer> handler) {
    this.handler = handler;
    drain();
    return this;
  }

  @Override
  public BufferStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public BufferStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public BufferStream fetch(long amount) {
    demand = amount == Long.MAX_VALUE || demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    drain();
    return this;
  }

  @Override
  public BufferStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    drain();
    return this;
  }
}
