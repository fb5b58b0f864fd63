package dev.faultline.proxy;


/**
 * User input as an error message repeats it: quoted when it is text, and cut to its first
 * {@value #MAX_CHARS} characters, so a megabyte sent by mistake (or on purpose) is not sent
 * back, logged or shown whole.
 */
public final class Echo {

  /** How much of a value an error message repeats. */
  public static final int MAX_CHARS = 64;

  private Echo() {
  }

  /** {@code "text"} for a string, the JSON-ish text of anything else; cut to {@value #MAX_CHARS} chars. */
  public static String quote(Object value) {
    return value instanceof String s ? "\"" + cap(s) + "\"" : cap(String.valueOf(value));
  }

  /** {@code text} cut to its first {@value #MAX_CHARS} characters followed by {@code …}; whole when shorter. */
  public static String cap(String text) {
    if (text == null || text.length() <= MAX_CHARS) {
      return text;
    }
    // Never split a surrogate pair: half a character is not text.
    int end = Character.isHighSurrogate(text.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
    return text.substring(0, end) + "…";
  }
}
