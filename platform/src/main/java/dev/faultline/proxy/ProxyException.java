package dev.faultline.proxy;


/**
 * A refused admin operation on a proxy: the HTTP status to answer with, the field at fault (or
 * {@code null}) and a message that names it.
 */
public final class ProxyException extends RuntimeException {

  private final int status;
  private final String field;

  /** Longest message sent back, whatever a plugin or a nested check put in it: user input echoed is capped. */
  private static final int MAX_MESSAGE_CHARS = 1024;
  /** A field is named by the user where it is an unknown key; a real one is far shorter. */
  private static final int MAX_FIELD_CHARS = 160;

  private ProxyException(int status, String field, String message) {
    super(capped(message, MAX_MESSAGE_CHARS), null, false, false);
    this.status = status;
    this.field = field;
  }

  public static ProxyException invalid(String field, String message) {
    String named = capped(field, MAX_FIELD_CHARS);
    return new ProxyException(400, named, named + ": " + message);
  }

  public static ProxyException conflict(String field, String message) {
    String named = capped(field, MAX_FIELD_CHARS);
    return new ProxyException(409, named, named + ": " + message);
  }

  public static ProxyException notFound(String id) {
    return new ProxyException(404, "id", "no proxy with id '" + Echo.cap(id) + "'");
  }

  private static String capped(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max) + "…";
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
