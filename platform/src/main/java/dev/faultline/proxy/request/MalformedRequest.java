package dev.faultline.proxy.request;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Headers;
import dev.faultline.proxy.Echo;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * What a proxy answers to a request that is not HTTP it can read: a request line over the HTTP
 * server's limit (414), headers over it (431), or bytes that are not an HTTP request (400). The
 * caller gets the provider's error shape, as for every other refusal, and the request is logged.
 */
final class MalformedRequest {

  private MalformedRequest() {
  }

  /** The error for the decoding failure {@code cause}. */
  static ApiError error(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return new ApiError(414, "invalid_request_error", "request_line_too_long",
          "The request line (method, path and query) is longer than this proxy reads ("
              + HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH + " bytes).", null,
          Headers.empty());
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return new ApiError(431, "invalid_request_error", "request_headers_too_large",
          "The request headers are larger than this proxy reads ("
              + HttpServerOptions.DEFAULT_MAX_HEADER_SIZE + " bytes in all).", null, Headers.empty());
    }
    return new ApiError(400, "invalid_request_error", "malformed_request",
        "The request is not valid HTTP" + (cause == null || cause.getMessage() == null ? "." : ": "
            + Echo.cap(cause.getMessage()) + "."), null, Headers.empty());
  }

  /**
   * Whether the request line itself could not be read: the request then carries the HTTP codec's
   * placeholder ({@code GET /bad-request HTTP/1.0}) instead of what the caller sent.
   */
  static boolean lineUnread(HttpServerRequest request) {
    return request.decoderResult().cause() instanceof TooLongHttpLineException
        || request.method() == HttpMethod.GET && request.version() == HttpVersion.HTTP_1_0
        && "/bad-request".equals(request.uri());
  }
}
