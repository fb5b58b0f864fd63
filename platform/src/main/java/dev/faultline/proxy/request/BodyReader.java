package dev.faultline.proxy.request;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Headers;
import dev.faultline.server.ConnectionGuard;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body whole, refusing one over the proxy's limit as soon as it shows, and one
 * that does not arrive in time: the caller gets a 408 in its provider's shape (and the log a row),
 * then the connection closes, since the rest of that body may still be on its way.
 */
final class BodyReader {

  private final ConnectionGuard guard;
  private final long maxBytes;
  private final long timeoutMillis;

  /**
   * @param timeoutMillis time from the head to the body's end; 0 waits forever
   * @param guard         the connection guard whose sweep enforces it
   */
  BodyReader(ConnectionGuard guard, long maxBytes, long timeoutMillis) {
    this.guard = guard;
    this.maxBytes = maxBytes;
    this.timeoutMillis = timeoutMillis;
  }

  /** Reads the body; resumes a request paused before (its chunks wait until the handlers are set). */
  Future<Buffer> read(HttpServerRequest request) {
    String declared = request.getHeader("content-length");
    if (declared != null && tooLarge(declared)) {
      request.resume();
      return Future.failedFuture(new ProxyError(error()));
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    request.handler(chunk -> {
      if (body.length() + chunk.length() > maxBytes) {
        promise.tryFail(new ProxyError(error()));
      } else {
        body.appendBuffer(chunk);
      }
    });
    request.endHandler(v -> promise.tryComplete(body));
    request.exceptionHandler(promise::tryFail);
    if (timeoutMillis > 0 && !request.isEnded()) {
      // The guard's sweep watches the deadline: no timer per request on the hot path.
      guard.onSlowBody(request, () -> {
        if (!promise.future().isComplete()) {
          // Before failing: the 408 may be written at once, on this very call.
          request.response().endHandler(v -> ConnectionGuard.closeNow(request.connection()));
          promise.tryFail(new ProxyError(timedOut()));
        }
      });
    }
    request.resume();
    return promise.future();
  }

  private boolean tooLarge(String contentLength) {
    try {
      return Long.parseLong(contentLength.trim()) > maxBytes;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private ApiError error() {
    return new ApiError(413, "invalid_request_error", "request_too_large",
        "Request body is larger than this proxy accepts (" + maxBytes + " bytes; setting proxies.max_body_bytes).",
        null, Headers.empty());
  }

  private ApiError timedOut() {
    return new ApiError(408, "invalid_request_error", "request_timeout",
        "The request body did not arrive within " + timeoutMillis + " ms of its headers "
            + "(setting server.request_read_timeout_seconds).", null, Headers.of("connection", "close"));
  }
}
