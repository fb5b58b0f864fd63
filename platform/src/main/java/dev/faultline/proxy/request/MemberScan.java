package dev.faultline.proxy.request;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * Finds an answer's top-level {@code model}, {@code usage} and {@code error} in one walk over its
 * bytes. Member names are compared as they stand, every other value is passed over by its quotes
 * and brackets without being read, and only the members wanted (a few dozen bytes) go through
 * Jackson. Jackson's tokenizer over the whole answer, even skipping what it did not need, took
 * about 5% of a proxy's event-loop time with the log on: a chat completion is mostly
 * {@code choices}.
 * <p>The answer's shape is checked (one object whose members are separated, quotes closed,
 * brackets balanced); the inside of a value passed over is not, so such a value that is not
 * well-formed JSON still lets the members beside it be read.
 */
final class MemberScan {

  private static final byte[] MODEL = "model".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] USAGE = "usage".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ERROR = "error".getBytes(StandardCharsets.US_ASCII);

  private final byte[] bytes;
  private int at;
  /** Whether the string passed over last had an escape in it, so its bytes are not its text. */
  private boolean escaped;

  private MemberScan(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * {@code {"model": "...", "usage": {...}, "error": {...}}}, each only when the body has it with
   * that type (the last of a name given twice); empty when the body is not a JSON object.
   *
   * @throws DecodeException the body's shape is not a JSON object's, or a member read is not JSON
   */
  static JsonObject of(byte[] bytes) {
    return new MemberScan(bytes).members();
  }

  private JsonObject members() {
    JsonObject members = new JsonObject();
    skipByteOrderMark();
    if (at == bytes.length || next() != '{') {
      return members;
    }
    at++;
    if (next() == '}') {
      return members;
    }
    while (true) {
      if (next() != '"') {
        throw malformed("a member's name");
      }
      int nameStart = at;
      skipString();
      String wanted = wanted(nameStart, at);
      if (next() != ':') {
        throw malformed("':'");
      }
      at++;
      next();
      int valueStart = at;
      skipValue();
      if (wanted != null) {
        read(members, wanted, valueStart, at);
      }
      byte after = next();
      at++;
      if (after == '}') {
        return members;
      }
      if (after != ',') {
        throw malformed("',' or '}'");
      }
      next();
    }
  }

  /** Which of the three the name from {@code start} to {@code end} (quotes included) is, or null. */
  private String wanted(int start, int end) {
    if (escaped) {
      String name = (String) JsonReader.value(bytes, start, end - start);
      return "model".equals(name) || "usage".equals(name) || "error".equals(name) ? name : null;
    }
    return is(MODEL, start, end) ? "model" : is(USAGE, start, end) ? "usage" : is(ERROR, start, end) ? "error" : null;
  }

  private boolean is(byte[] name, int start, int end) {
    if (end - start != name.length + 2) {
      return false;
    }
    for (int i = 0; i < name.length; i++) {
      if (bytes[start + 1 + i] != name[i]) {
        return false;
      }
    }
    return true;
  }

  private void read(JsonObject members, String name, int start, int end) {
    if ("model".equals(name)) {
      if (bytes[start] != '"') {
        members.remove(name);
      } else if (escaped || hasControl(start + 1, end - 1)) {
        // Jackson decodes the escapes, or refuses the raw control character as JSON does.
        members.put(name, JsonReader.value(bytes, start, end - start));
      } else {
        members.put(name, new String(bytes, start + 1, end - start - 2, StandardCharsets.UTF_8));
      }
    } else if (bytes[start] == '{') {
      members.put(name, JsonReader.value(bytes, start, end - start));
    } else {
      members.remove(name);
    }
  }

  private boolean hasControl(int start, int end) {
    for (int i = start; i < end; i++) {
      if (bytes[i] >= 0 && bytes[i] < 0x20) {
        return true;
      }
    }
    return false;
  }

  /** Passes over the value that starts here: a string, an object or array, or a bare word or number. */
  private void skipValue() {
    byte first = bytes[at];
    if (first == '"') {
      skipString();
    } else if (first == '{' || first == '[') {
      skipNested();
    } else {
      int start = at;
      while (at < bytes.length && !endsWord(bytes[at])) {
        at++;
      }
      if (at == start) {
        throw malformed("a value");
      }
    }
  }

  private void skipNested() {
    int depth = 0;
    while (at < bytes.length) {
      byte b = bytes[at];
      if (b == '"') {
        skipString();
        continue;
      }
      if (b == '{' || b == '[') {
        depth++;
      } else if (b == '}' || b == ']') {
        depth--;
        if (depth == 0) {
          at++;
          return;
        }
      }
      at++;
    }
    throw malformed("the end of an object or array");
  }

  /** From the opening quote to past the closing one. */
  private void skipString() {
    escaped = false;
    at++;
    while (at < bytes.length) {
      byte b = bytes[at];
      if (b == '"') {
        at++;
        return;
      }
      if (b == '\\') {
        escaped = true;
        at++;
      }
      at++;
    }
    throw malformed("the end of a string");
  }

  /** The next byte that is not white space, where {@code at} now is. */
  private byte next() {
    while (at < bytes.length) {
      byte b = bytes[at];
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return b;
      }
      at++;
    }
    throw malformed("more");
  }

  private void skipByteOrderMark() {
    if (bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF) {
      at = 3;
    }
  }

  private static boolean endsWord(byte b) {
    return b == ',' || b == '}' || b == ']' || b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  private DecodeException malformed(String expected) {
    return new DecodeException("expected " + expected + " at byte " + at);
  }
}
