package dev.faultline.cache;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one byte form of a JSON value that a cache key hashes, after RFC 8785 (JSON
 * Canonicalization Scheme): no whitespace, object members sorted by the UTF-16 code units of
 * their names, strings with only the escapes JSON requires, numbers in one form. Requests that
 * mean the same JSON get the same bytes, whatever their spacing, member order or escapes
 * (<code>"&#92;u00e9"</code> and {@code "é"} are one string once parsed).
 *
 * <p>Two departures from RFC 8785, both so that distinct values never share bytes: integers are
 * written exactly at any size (a 64-bit {@code seed} must not round to a double and collide with
 * its neighbour), and a lone surrogate, which RFC 8785 refuses, is written as a <code>&#92;u</code> escape
 * rather than as the replacement character. A number equal to an integer ({@code 1.0},
 * {@code 1e2}) is written as that integer; others in their shortest decimal form.
 */
final class CanonicalJson {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final StringBuilder out = new StringBuilder(256);

  private CanonicalJson() {
  }

  /**
   * @throws IllegalArgumentException for a value JSON cannot hold (an infinite number, a Java
   *                                  object that is not a JSON type)
   */
  static byte[] bytes(Object value) {
    CanonicalJson json = new CanonicalJson();
    json.value(value);
    return json.out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void value(Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String s) {
      string(s);
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (value instanceof Number n) {
      out.append(number(n));
    } else if (value instanceof JsonObject o) {
      object(o.getMap());
    } else if (value instanceof Map<?, ?> m) {
      object(m);
    } else if (value instanceof JsonArray a) {
      array(a.getList());
    } else if (value instanceof List<?> l) {
      array(l);
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }

  private void object(Map<?, ?> members) {
    List<String> names = new ArrayList<>(members.size());
    members.keySet().forEach(name -> names.add((String) name));
    // String's natural order compares UTF-16 code units, exactly as RFC 8785 sorts.
    names.sort(null);
    out.append('{');
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      string(names.get(i));
      out.append(':');
      value(members.get(names.get(i)));
    }
    out.append('}');
  }

  private void array(List<?> items) {
    out.append('[');
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      value(items.get(i));
    }
    out.append(']');
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            escape(c);
          } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            escape(c);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private void escape(char c) {
    out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
  }

  private static String number(Number n) {
    BigDecimal decimal;
    if (n instanceof BigDecimal d) {
      decimal = d;
    } else if (n instanceof BigInteger i) {
      decimal = new BigDecimal(i);
    } else if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("not a JSON number: " + n);
      }
      // The shortest decimal that reads back as this double (0.1, not 0.1000000000000000055…).
      decimal = new BigDecimal(n.toString());
    } else {
      decimal = BigDecimal.valueOf(n.longValue());
    }
    decimal = decimal.stripTrailingZeros();
    if (decimal.scale() <= 0) {
      return decimal.toBigIntegerExact().toString();
    }
    // Plain down to 1e-6, then exponent form, lower case: as ECMAScript writes numbers.
    return decimal.toString().replace('E', 'e');
  }
}
