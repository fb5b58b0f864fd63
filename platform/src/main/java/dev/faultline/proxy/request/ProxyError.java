package dev.faultline.proxy.request;

import dev.faultline.plugin.api.ApiError;

/** Ends a request early with an error the caller's provider-shaped client understands. */
public final class ProxyError extends RuntimeException {

  private final transient ApiError error;

  public ProxyError(ApiError error) {
    // No stack trace: this is control flow on the request path, not a bug.
    super(error.message(), null, false, false);
    this.error = error;
  }

  public ApiError error() {
    return error;
  }
}
