package dev.faultline.cache;

import dev.faultline.plugin.api.BufferStream;
import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.proxy.request.AnswerFacts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Set;

/**
 * One stored answer: what it answers (key, tenant, request digest) and what it says (status, the
 * headers worth replaying, the body, and for a stream its events with their timing). Immutable;
 * the body is shared, read-only, by every replay.
 *
 * @param events a stream's server-sent events in order, {@code null} for a whole body
 * @param createdAt epoch milliseconds
 * @param facts what a hit's log entry reads of a whole body (its model and usage), read at the first
 *              hit rather than at every one; null for a stream or a body past
 *              {@value AnswerFacts#WHOLE_BYTES} bytes
 */
record CacheEntry(String key, String proxyId, String tenant, String digest, String model, String path, int status,
                  Headers headers, Buffer body, List<Event> events, long createdAt, AnswerFacts facts) {

  /**
   * The response headers a replay repeats. Others are per call (date, request id, rate-limit
   * countdowns, cookies) or name the account that recorded the answer (organization, project),
   * which another tenant importing a cassette must not see.
   */
  static final Set<String> KEPT_HEADERS = Set.of("content-type", "content-encoding", "content-language",
      "openai-version", "openai-processing-ms");

  CacheEntry(String key, String proxyId, String tenant, String digest, String model, String path, int status,
             Headers headers, Buffer body, List<Event> events, long createdAt) {
    this(key, proxyId, tenant, digest, model, path, status, headers, body, events, createdAt,
        events == null && body.length() <= AnswerFacts.WHOLE_BYTES ? AnswerFacts.of(body) : null);
  }

  /**
   * One server-sent event: it ends at byte {@code end} of the body (its blank line included) and
   * arrived {@code atMillis} after the response head.
   */
  record Event(int end, long atMillis) {
  }

  static Headers keptHeaders(Headers all) {
    Headers.Builder kept = Headers.builder();
    all.forEach((name, value) -> {
      if (KEPT_HEADERS.contains(name.toLowerCase())) {
        kept.add(name.toLowerCase(), value);
      }
    });
    return kept.build();
  }

  boolean stream() {
    return events != null;
  }

  int size() {
    return body.length();
  }

  /**
   * The answer again, as a fresh response: a whole body at once, a stream event by event, either
   * all at once or (with {@code timing}) at the original gaps. Call on the caller's event loop.
   */
  ProviderResponse replay(Vertx vertx, boolean timing) {
    if (!stream()) {
      return ProviderResponse.of(status, headers.with("content-length", String.valueOf(body.length())), body);
    }
    BufferStream out = new BufferStream();
    if (!timing) {
      int start = 0;
      for (Event event : events) {
        out.write(body.slice(start, event.end()));
        start = event.end();
      }
      out.end();
      return new ProviderResponse(status, headers, out);
    }
    TimedReplay replay = new TimedReplay(vertx, this, out);
    replay.start();
    return new ProviderResponse(status, headers, out, replay::cancel);
  }
}
