package dev.faultline.proxy;

/**
 * A refused admin operation on a proxy: the HTTP status to answer with, the field at fault (or
 * {@code null}) and a message that names it.
 */
public final class ProxyException extends RuntimeException {

  private final int status;
  private final String field;

  private ProxyException(int status, String field, String message) {
    super(message, null, false, false);
    this.status = status;
    this.field = field;
  }

  public static ProxyException invalid(String field, String message) {
    return new ProxyException(400, field, field + ": " + message);
  }

  public static ProxyException conflict(String field, String message) {
    return new ProxyException(409, field, field + ": " + message);
  }

  public static ProxyException notFound(String id) {
    return new ProxyException(404, "id", "no proxy with id '" + id + "'");
  }

  /** A change that could not be made now: it did not finish in time, or Faultline is stopping. */
  public static ProxyException unavailable(String message) {
    return new ProxyException(503, null, message);
  }

  /** The same refusal for a field nested under {@code parent}, e.g. {@code proxies.defaults}. */
  public ProxyException under(String parent) {
    return new ProxyException(status, parent + "." + field, parent + "." + getMessage());
  }

  public int status() {
    return status;
  }

  public String field() {
    return field;
  }
}
