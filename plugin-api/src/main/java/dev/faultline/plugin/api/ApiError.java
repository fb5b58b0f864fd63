package dev.faultline.plugin.api;

import java.util.Objects;

/**
 * An error to send to a caller, in provider-neutral terms; {@link Provider#error} turns it into
 * that provider's wire format.
 *
 * @param status  HTTP status
 * @param type    OpenAI error type, e.g. {@code invalid_request_error}, {@code server_error}
 * @param code    OpenAI error code, e.g. {@code rate_limit_exceeded}; may be {@code null}
 * @param message text for people; names what was wrong
 * @param param   the request field at fault, or {@code null}
 * @param headers extra response headers, e.g. {@code retry-after}
 */
public record ApiError(int status, String type, String code, String message, String param, Headers headers) {

  public ApiError {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(message, "message");
    headers = headers == null ? Headers.empty() : headers;
  }

  /** A 400 {@code invalid_request_error}. */
  public static ApiError invalidRequest(String message, String code, String param) {
    return new ApiError(400, "invalid_request_error", code, message, param, Headers.empty());
  }

  /** A 502: the upstream could not be reached or broke. */
  public static ApiError badGateway(String message) {
    return new ApiError(502, "server_error", "upstream_unavailable", message, null, Headers.empty());
  }
}
