package dev.faultline.plugin.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One caller request as it reached a proxy, after the proxy's checks.
 *
 * @param id      the request id Faultline gave it (also sent back as {@code x-request-id} when the
 *                provider sends none)
 * @param method  the HTTP method, upper case
 * @param uri     the path and query as the caller sent them, e.g. {@code /v1/chat/completions}
 * @param headers the caller's headers, untouched (including {@code Authorization}: forward it,
 *                never log or store it)
 * @param body    the raw body bytes, exactly as received (empty for a GET); do not modify
 * @param json    the body parsed as a JSON object, or {@code null} when the body is empty or not
 *                JSON (the proxy refuses malformed JSON to {@code POST /v1/*} before a provider
 *                sees it)
 */
public record ProxyRequest(String id, String method, String uri, Headers headers, Buffer body, JsonObject json) {

  public ProxyRequest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(headers, "headers");
    body = body == null ? Buffer.buffer() : body;
  }

  /** The path without its query string. */
  public String path() {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  /** Whether the caller asked for a server-sent-event stream ({@code "stream": true}). */
  public boolean stream() {
    return json != null && Boolean.TRUE.equals(json.getValue("stream"));
  }

  /** The {@code model} the caller named, or {@code null}. */
  public String model() {
    Object model = json == null ? null : json.getValue("model");
    return model instanceof String s ? s : null;
  }
}
