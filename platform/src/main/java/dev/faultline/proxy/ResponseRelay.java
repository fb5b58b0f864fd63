package dev.faultline.proxy;

import dev.faultline.plugin.api.ProviderResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import java.util.Set;
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

  /** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, not the response. */
  private static final Set<String> HOP_BY_HOP = Set.of(
      "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
      "content-length");

  private ResponseRelay() {
  }

  static void relay(ProviderResponse response, HttpServerResponse out, String requestId) {
    out.setStatusCode(response.status());
    response.headers().forEach((name, value) -> {
      if (!HOP_BY_HOP.contains(name.toLowerCase())) {
        out.headers().add(name, value);
      }
    });
    response.headers().get("content-length").ifPresentOrElse(
        length -> out.putHeader("content-length", length),
        () -> out.setChunked(true));
    if (!response.headers().contains("x-request-id")) {
      out.putHeader("x-request-id", requestId);
    }

    ReadStream<Buffer> body = response.body();
    body.endHandler(v -> out.end());
    body.exceptionHandler(error -> {
      LOG.debug("Response body of {} broke: {}", requestId, error.toString());
      out.reset();
    });
    body.handler(chunk -> {
      out.write(chunk);
      if (out.writeQueueFull()) {
        body.pause();
        out.drainHandler(v -> body.resume());
      }
    });
    out.closeHandler(v -> {
      if (!out.ended()) {
        response.cancel().run();
      }
    });
    body.resume();
  }
}
