package dev.faultline.plugin.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.Objects;

/**
 * What a provider answers: a status, headers and a body that is a stream of bytes.
 *
 * <p>The body is relayed to the caller as it arrives, chunk by chunk, so a server-sent-event
 * stream reaches the caller event by event. An HTTP client response must be returned
 * <em>paused</em> (call {@code pause()} before handing it over): the host resumes it once it is
 * ready to relay, and no byte is lost in between. A {@link BufferStream} needs no pause: it
 * holds what is pushed into it until the host reads. For a body already in memory use
 * {@link #of}.
 *
 * @param status  the HTTP status code
 * @param headers the response headers the caller should see; hop-by-hop headers
 *                ({@code connection}, {@code transfer-encoding}, {@code content-length}, …) are
 *                managed by the host and ignored here
 * @param body    the body bytes
 * @param cancel  called when the caller went away before the body ended: stop producing (reset
 *                the upstream request, cancel timers) so nobody pays for tokens no one reads
 */
public record ProviderResponse(int status, Headers headers, ReadStream<Buffer> body, Runnable cancel) {

  public ProviderResponse {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    cancel = cancel == null ? () -> { } : cancel;
  }

  /** A response with nothing to cancel beyond no longer reading the body. */
  public ProviderResponse(int status, Headers headers, ReadStream<Buffer> body) {
    this(status, headers, body, null);
  }

  /** A response whose whole body is already known. */
  public static ProviderResponse of(int status, Headers headers, Buffer body) {
    return new ProviderResponse(status, headers, BufferStream.of(body));
  }

  /** Whether the body is a server-sent-event stream ({@code text/event-stream}). */
  public boolean eventStream() {
    return headers.get("content-type").map(t -> t.toLowerCase().startsWith("text/event-stream")).orElse(false);
  }
}
