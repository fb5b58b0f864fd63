package dev.faultline.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a playground call got, as it arrives: status and headers, the time to them (the first byte
 * of the answer), the body up to a cap (the server-sent events as text for a stream), the time to
 * its end, and what went wrong if it broke.
 */
final class PlaygroundResult {

  private final long started = System.nanoTime();
  private final int maxBytes;
  private final Buffer body = Buffer.buffer();
  private Integer status;
  private final JsonObject headers = new JsonObject();
  private Double ttfbMs;
  private boolean truncated;

  PlaygroundResult(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  void headers(HttpClientResponse response) {
    ttfbMs = elapsedMs();
    status = response.statusCode();
    Map<String, String> sorted = new TreeMap<>();
    response.headers().names().forEach(name -> sorted.put(name.toLowerCase(java.util.Locale.ROOT),
        String.join(", ", response.headers().getAll(name))));
    sorted.forEach(headers::put);
  }

  void append(Buffer chunk) {
    int room = maxBytes - body.length();
    if (chunk.length() > room) {
      truncated = true;
    }
    if (room > 0) {
      body.appendBuffer(chunk.length() > room ? chunk.getBuffer(0, room) : chunk);
    }
  }

  JsonObject complete() {
    return toJson(null);
  }

  /** The result of a call that ended without a whole answer. */
  JsonObject broken(String error) {
    return toJson(error);
  }

  private JsonObject toJson(String error) {
    JsonObject json = new JsonObject()
        .put("status", status)
        .put("headers", headers.copy())
        .put("ttfb_ms", ttfbMs)
        .put("total_ms", elapsedMs())
        .put("body", body.toString(StandardCharsets.UTF_8))
        .put("truncated", truncated);
    if (error != null) {
      json.put("error", error);
    }
    return json;
  }

  private double elapsedMs() {
    return Math.round((System.nanoTime() - started) / 10_000.0) / 100.0;
  }
}
