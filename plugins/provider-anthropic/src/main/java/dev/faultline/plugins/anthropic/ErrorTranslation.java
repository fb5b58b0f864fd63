package dev.faultline.plugins.anthropic;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Headers;
import java.util.Locale;

/**
 * Anthropic's errors in the shape an OpenAI SDK expects: the status picks the SDK's exception
 * class and whether it retries, the type and code are what OpenAI sends for the same failure,
 * and Anthropic's message is kept word for word.
 */
final class ErrorTranslation {

  /** Anthropic's own status for "overloaded"; OpenAI has none, and its SDKs retry a 503. */
  static final int OVERLOADED = 529;

  private ErrorTranslation() {
  }

  /**
   * The OpenAI error for {@code error}, answered by Anthropic with {@code status}; {@code headers}
   * are the ones the caller should get with it (retry-after and the like).
   */
  static ApiError toOpenAi(int status, AnthropicError error, Headers headers) {
    String type = error.type() == null ? "" : error.type();
    String message = error.message();
    return switch (type) {
      case "invalid_request_error" -> new ApiError(status, "invalid_request_error", null, message, null, headers);
      case "authentication_error" -> new ApiError(status, "invalid_request_error", "invalid_api_key", message, null,
          headers);
      case "permission_error" -> new ApiError(status, "invalid_request_error", "permission_denied", message, null,
          headers);
      case "not_found_error" -> new ApiError(status, "invalid_request_error",
          message.toLowerCase(Locale.ROOT).contains("model") ? "model_not_found" : "not_found", message, null, headers);
      case "request_too_large" -> new ApiError(status, "invalid_request_error", "request_too_large", message, null,
          headers);
      case "billing_error" -> new ApiError(status, "insufficient_quota", "insufficient_quota", message, null, headers);
      // OpenAI says which limit was hit in the type; Anthropic only in the message.
      case "rate_limit_error" -> new ApiError(status,
          message.toLowerCase(Locale.ROOT).contains("token") ? "tokens" : "requests", "rate_limit_exceeded", message,
          null, headers);
      case "timeout_error" -> new ApiError(status, "server_error", "timeout", message, null, headers);
      case "api_error" -> new ApiError(status, "server_error", null, message, null, headers);
      // 529 is no status an OpenAI SDK knows to retry; a 503 is, and says the same thing.
      case "overloaded_error" -> new ApiError(status == OVERLOADED ? 503 : status, "server_error", "overloaded",
          message, null, headers);
      default -> new ApiError(status == OVERLOADED ? 503 : status,
          status >= 500 || status == OVERLOADED ? "server_error" : "invalid_request_error",
          type.isEmpty() ? null : type, message, null, headers);
    };
  }

  /** The error of a stream's {@code event: error}, which arrives after a 200: its status is the type's. */
  static ApiError streamed(AnthropicError error) {
    return toOpenAi(statusOf(error.type()), error, Headers.empty());
  }

  /** The status Anthropic documents for each error type. */
  static int statusOf(String type) {
    return switch (type == null ? "" : type) {
      case "invalid_request_error" -> 400;
      case "authentication_error" -> 401;
      case "billing_error" -> 402;
      case "permission_error" -> 403;
      case "not_found_error" -> 404;
      case "request_too_large" -> 413;
      case "rate_limit_error" -> 429;
      case "timeout_error" -> 504;
      case "overloaded_error" -> OVERLOADED;
      default -> 500;
    };
  }
}
