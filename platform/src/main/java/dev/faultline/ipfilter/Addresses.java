package dev.faultline.ipfilter;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IP address literals to bytes, never by a name lookup: text that is not an IPv4 or IPv6 literal
 * is refused before {@link InetAddress} could try DNS. An IPv4-mapped IPv6 address
 * ({@code ::ffff:10.0.0.1}) comes back as its IPv4 address.
 */
final class Addresses {

  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  private Addresses() {
  }

  /** The address's bytes (4 or 16), or {@code null} when {@code text} is not an IP literal. */
  static byte[] parse(String text) {
    Matcher v4 = IPV4.matcher(text);
    if (v4.matches()) {
      byte[] bytes = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(v4.group(i + 1));
        if (octet > 255) {
          return null;
        }
        bytes[i] = (byte) octet;
      }
      return bytes;
    }
    if (text.indexOf(':') < 0 || !IPV6_CHARS.matcher(text).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** The canonical text of an address: {@code 10.0.0.1}, {@code 0:0:0:0:0:0:0:1}. */
  static String format(byte[] address) {
    try {
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + address.length + " bytes", e);
    }
  }
}
