package dev.faultline.auth;

import dev.faultline.api.Refusal;

/** A refused account operation, with the HTTP status and the field it is about. */
final class AuthException extends RuntimeException implements Refusal {

  private final int status;
  private final String field;

  private AuthException(int status, String field, String message) {
    super(message, null, false, false);
    this.status = status;
    this.field = field;
  }

  static AuthException invalid(String field, String message) {
    return new AuthException(400, field, message);
  }

  static AuthException unauthorized(String message) {
    return new AuthException(401, null, message);
  }

  static AuthException forbidden(String message) {
    return new AuthException(403, null, message);
  }

  static AuthException notFound(String what) {
    return new AuthException(404, null, what);
  }

  static AuthException unavailable(String message) {
    return new AuthException(503, null, message);
  }

  static AuthException tooMany(String message) {
    return new AuthException(429, null, message);
  }

  static AuthException conflict(String field, String message) {
    return new AuthException(409, field, message);
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public String field() {
    return field;
  }
}
