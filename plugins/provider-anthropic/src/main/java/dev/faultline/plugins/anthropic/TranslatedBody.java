package dev.faultline.plugins.anthropic;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.function.UnaryOperator;

/**
 * An upstream body relayed through a translation, piece by piece as it arrives: nothing is held
 * beyond the event being completed, and the reader's pace is the upstream's (pause, resume and
 * fetch go straight to the upstream response).
 */
final class TranslatedBody implements ReadStream<Buffer> {

  private final ReadStream<Buffer> upstream;
  private final UnaryOperator<Buffer> translation;

  TranslatedBody(ReadStream<Buffer> upstream, UnaryOperator<Buffer> translation) {
    this.upstream = upstream;
    this.translation = translation;
  }

  @Override
  public TranslatedBody handler(Handler<Buffer> handler) {
    if (handler == null) {
      upstream.handler(null);
      return this;
    }
    upstream.handler(chunk -> {
      Buffer translated = translation.apply(chunk);
      if (translated.length() > 0) {
        handler.handle(translated);
      } else {
        // The reader asked for one more item and got none: the demand passes to the next piece.
        upstream.fetch(1);
      }
    });
    return this;
  }

  @Override
  public TranslatedBody exceptionHandler(Handler<Throwable> handler) {
    upstream.exceptionHandler(handler);
    return this;
  }

  @Override
  public TranslatedBody pause() {
    upstream.pause();
    return this;
  }

  @Override
  public TranslatedBody resume() {
    upstream.resume();
    return this;
  }

  @Override
  public TranslatedBody fetch(long amount) {
    upstream.fetch(amount);
    return this;
  }

  @Override
  public TranslatedBody endHandler(Handler<Void> endHandler) {
    upstream.endHandler(endHandler);
    return this;
  }
}
