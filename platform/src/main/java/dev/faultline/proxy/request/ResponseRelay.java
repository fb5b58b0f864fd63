package dev.faultline.proxy.request;

import dev.faultline.plugin.api.BufferStream;
import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.ProviderResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a provider's response to the caller chunk by chunk, as it arrives: an event stream
 * reaches the caller event by event. Back-pressure pauses the provider when the caller reads
 * slowly; a body that breaks mid-way resets the caller's connection, so the caller sees a
 * broken response, never a complete-looking one.
 */
final class ResponseRelay {

  private static final Logger LOG = LoggerFactory.getLogger(ResponseRelay.class);

  private ResponseRelay() {
  }

  /**
   * @param finish called once with how the exchange ended
   */
  static void relay(ProviderResponse response, Exchange exchange, ExchangeListener listener,
                    Consumer<Exchange.Outcome> finish) {
    HttpServerResponse out = exchange.http().response();
    exchange.status(response.status());
    out.setStatusCode(response.status());
    response.headers().forEach((name, value) -> {
      if (!Headers.isHopByHop(name)) {
        out.headers().add(name, value);
      }
    });
    exchange.responseHeaders().forEach(out::putHeader);
    response.headers().get("content-length").ifPresentOrElse(
        length -> out.putHeader("content-length", length),
        () -> out.setChunked(true));
    String requestIdHeader = exchange.dialect().requestIdHeader();
    if (!response.headers().contains(requestIdHeader)) {
      out.putHeader(requestIdHeader, exchange.requestId());
    }

    ExchangeListener.BodyObserver observer = listener.observe(exchange);
    ReadStream<Buffer> body = response.body();
    // A body already whole in memory (a cache hit, an answer a step made itself) ends with its
    // last chunk, so a one-chunk answer goes out with its head as one message and one write; a
    // body still arriving is written chunk by chunk as it comes, never held back.
    boolean whole = body instanceof BufferStream stream && stream.finished();
    Buffer[] last = new Buffer[1];
    body.endHandler(v -> {
      if (last[0] != null) {
        out.end(last[0]);
      } else {
        out.end();
      }
      finish.accept(Exchange.Outcome.COMPLETED);
    });
    body.exceptionHandler(error -> {
      LOG.debug("Response body of {} broke: {}", exchange.requestId(), error.toString());
      out.reset();
      finish.accept(Exchange.Outcome.BROKEN);
    });
    body.handler(chunk -> {
      exchange.addBytesOut(chunk.length());
      if (observer != null) {
        observer.chunk(chunk);
      }
      Buffer next = chunk;
      if (whole) {
        next = last[0];
        last[0] = chunk;
        if (next == null) {
          return;
        }
      }
      out.write(next);
      if (out.writeQueueFull()) {
        body.pause();
        out.drainHandler(v -> body.resume());
      }
    });
    body.resume();
  }
}
