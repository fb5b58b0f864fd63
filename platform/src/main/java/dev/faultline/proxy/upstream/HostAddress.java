package dev.faultline.proxy.upstream;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The host of an upstream URL read the way a connection would read it, not the way it looks: an
 * IPv4 address in any spelling the C resolver accepts ({@code inet_aton}: {@code 2852039166},
 * {@code 0251.0376.0251.0376}, {@code 0xa9fea9fe}, {@code 169.254.43518}, a trailing dot), an
 * IPv6 literal (brackets, zone), or else a name to resolve.
 */
public final class HostAddress {

  private static final Pattern IPV6_TEXT = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final BigInteger MAX_PART = BigInteger.valueOf(0xFFFF_FFFFL);

  private HostAddress() {
  }

  /**
   * The host of {@code uri} as written, brackets kept; {@code null} when it has none. Read from the
   * raw authority, since {@link URI#getHost()} gives up on spellings such as
   * {@code 0251.0376.0251.0376} that a resolver still takes.
   */
  public static String hostOf(URI uri) {
    if (uri.getHost() != null) {
      return uri.getHost();
    }
    String authority = uri.getRawAuthority();
    if (authority == null) {
      return null;
    }
    String host = authority.substring(authority.lastIndexOf('@') + 1);
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? null : host.substring(0, end + 1);
    }
    int colon = host.indexOf(':');
    host = colon < 0 ? host : host.substring(0, colon);
    return host.isEmpty() ? null : host;
  }

  /** The address {@code host} spells, empty when it is a name (to be resolved). */
  public static Optional<InetAddress> literal(String host) {
    if (host == null || host.isEmpty()) {
      return Optional.empty();
    }
    if (host.startsWith("[") || host.indexOf(':') >= 0) {
      return ipv6(host);
    }
    return ipv4(host);
  }

  /** {@code inet_aton}'s rules: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x); the last fills the rest. */
  static Optional<InetAddress> ipv4(String host) {
    // A single trailing dot is a fully qualified spelling of the same address (as browsers read it).
    String text = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    String[] parts = text.split("\\.", -1);
    if (parts.length > 4) {
      return Optional.empty();
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      BigInteger value = number(parts[i]);
      if (value == null) {
        return Optional.empty();
      }
      values[i] = value.longValue();
    }
    long address = 0;
    for (int i = 0; i < values.length - 1; i++) {
      if (values[i] > 0xFF) {
        return Optional.empty();
      }
      address |= values[i] << (24 - 8 * i);
    }
    long last = values[values.length - 1];
    if (last > (1L << (8 * (5 - values.length))) - 1) {
      return Optional.empty();
    }
    address |= last;
    byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    try {
      return Optional.of(InetAddress.getByAddress(bytes));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an address", e);
    }
  }

  private static BigInteger number(String part) {
    int radix = 10;
    String digits = part;
    if (part.startsWith("0x") || part.startsWith("0X")) {
      radix = 16;
      digits = part.substring(2);
      if (digits.isEmpty()) {
        return BigInteger.ZERO;
      }
    } else if (part.length() > 1 && part.startsWith("0")) {
      radix = 8;
      digits = part.substring(1);
    }
    if (digits.isEmpty()) {
      return null;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), radix) < 0) {
        return null;
      }
    }
    BigInteger value = new BigInteger(digits, radix);
    return value.compareTo(MAX_PART) > 0 ? null : value;
  }

  private static Optional<InetAddress> ipv6(String host) {
    String text = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    int zone = text.indexOf('%');
    text = zone < 0 ? text : text.substring(0, zone);
    if (!IPV6_TEXT.matcher(text).matches() || text.indexOf(':') < 0) {
      return Optional.empty();
    }
    try {
      // In brackets the JDK parses a literal and never looks a name up.
      return Optional.of(InetAddress.getByName("[" + text + "]"));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
