package dev.faultline.plugins.mock;

import dev.faultline.plugin.api.ApiError;

/** A request the mock refuses, as OpenAI would; the session turns it into a 4xx answer. */
final class BadRequest extends RuntimeException {

  private final transient ApiError error;

  BadRequest(ApiError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  ApiError error() {
    return error;
  }
}
