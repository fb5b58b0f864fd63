package dev.faultline.ipfilter;

import dev.faultline.proxy.Echo;

/**
 * One rule of an allow or block list: an address ({@code 10.0.0.7}, {@code ::1}), a CIDR block
 * ({@code 10.0.0.0/8}, {@code 2001:db8::/32}), an IPv4 wildcard ({@code 10.0.*.*}), or {@code *}
 * (every address).
 */
public final class IpRule {

  private final String text;
  private final byte[] network;
  private final int prefix;
  /** For wildcards: each octet, or -1 for {@code *}. */
  private final int[] octets;

  private IpRule(String text, byte[] network, int prefix, int[] octets) {
    this.text = text;
    this.network = network;
    this.prefix = prefix;
    this.octets = octets;
  }

  /** @throws IllegalArgumentException saying what is wrong with {@code text} */
  public static IpRule parse(String text) {
    String rule = text == null ? "" : text.trim();
    if (rule.equals("*")) {
      return new IpRule(rule, null, 0, null);
    }
    if (rule.contains("*")) {
      return wildcard(rule);
    }
    int slash = rule.indexOf('/');
    String address = slash < 0 ? rule : rule.substring(0, slash);
    byte[] bytes = Addresses.parse(address);
    if (bytes == null) {
      throw new IllegalArgumentException("'" + Echo.cap(rule) + "' is not an IPv4 or IPv6 address, CIDR block or IPv4 wildcard "
          + "(e.g. 10.0.0.7, 10.0.0.0/8, 2001:db8::/32, 10.0.*.*)");
    }
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String length = rule.substring(slash + 1);
      if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
        throw new IllegalArgumentException("'" + Echo.cap(rule) + "': the prefix length must be a number from 0 to " + bits
            + " for an " + (bits == 32 ? "IPv4" : "IPv6") + " address");
      }
      prefix = Integer.parseInt(length);
    }
    return new IpRule(rule, bytes, prefix, null);
  }

  private static IpRule wildcard(String rule) {
    String[] parts = rule.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("'" + Echo.cap(rule) + "': a wildcard has four IPv4 octets, each a number from 0 to 255 "
          + "or *, e.g. 10.0.*.*");
    }
    int[] octets = new int[4];
    for (int i = 0; i < 4; i++) {
      if (parts[i].equals("*")) {
        octets[i] = -1;
      } else if (parts[i].matches("\\d{1,3}") && Integer.parseInt(parts[i]) <= 255) {
        octets[i] = Integer.parseInt(parts[i]);
      } else {
        throw new IllegalArgumentException("'" + Echo.cap(rule) + "': octet '" + Echo.cap(parts[i]) + "' must be a number from 0 to 255 "
            + "or *");
      }
    }
    return new IpRule(rule, null, 0, octets);
  }

  /** Whether {@code address} (4 or 16 bytes) falls under this rule. */
  public boolean matches(byte[] address) {
    if (address == null) {
      return false;
    }
    if (octets != null) {
      if (address.length != 4) {
        return false;
      }
      for (int i = 0; i < 4; i++) {
        if (octets[i] >= 0 && (address[i] & 0xff) != octets[i]) {
          return false;
        }
      }
      return true;
    }
    if (network == null) {
      return true;
    }
    if (address.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest) & 0xff;
    return (address[full] & mask) == (network[full] & mask);
  }

  @Override
  public String toString() {
    return text;
  }
}
