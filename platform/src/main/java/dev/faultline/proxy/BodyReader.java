package dev.faultline.proxy;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Headers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** Reads a request body whole, refusing one over the proxy's limit as soon as it shows. */
final class BodyReader {

  private final long maxBytes;

  BodyReader(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  Future<Buffer> read(HttpServerRequest request) {
    String declared = request.getHeader("content-length");
    if (declared != null && tooLarge(declared)) {
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
}
