package dev.faultline.api;

/**
 * A failure that is an answer, not an error: a feature's exception that knows its HTTP status and
 * the field it is about. {@link Responses#failure} answers it as such instead of with a 500.
 */
public interface Refusal {

  int status();

  /** The request field the refusal is about; {@code null} when none. */
  String field();

  String getMessage();
}
