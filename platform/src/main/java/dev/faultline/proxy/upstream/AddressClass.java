package dev.faultline.proxy.upstream;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** What kind of network an address is on, as far as sending someone's API key there goes. */
public enum AddressClass {

  /** The internet: any proxy may forward there. */
  PUBLIC("a public address"),
  /** This machine or a private network: a local model server, and also everything else behind the firewall. */
  PRIVATE("a loopback or private-network address (127.0.0.0/8, ::1, 0.0.0.0, 10.0.0.0/8, 172.16.0.0/12, "
      + "192.168.0.0/16, 100.64.0.0/10, fc00::/7)"),
  /** Link-local, where clouds answer with instance credentials: never. */
  METADATA("a link-local or cloud metadata address (169.254.0.0/16, fe80::/10, fd00:ec2::254, 100.100.100.200)");

  private static final byte[] EC2_IPV6_METADATA = address("fd00:ec2::254");
  private static final byte[] ALIBABA_METADATA = {100, 100, 100, (byte) 200};

  private final String description;

  AddressClass(String description) {
    this.description = description;
  }

  /** For people, with the ranges it covers. */
  public String description() {
    return description;
  }

  public static AddressClass of(InetAddress address) {
    byte[] b = address.getAddress();
    return b.length == 4 ? ipv4(b) : ipv6(b);
  }

  private static AddressClass ipv4(byte[] b) {
    int first = b[0] & 0xFF;
    int second = b[1] & 0xFF;
    if (first == 169 && second == 254 || Arrays.equals(b, ALIBABA_METADATA)) {
      return METADATA;
    }
    if (first == 127 || first == 0 || first == 10 || first == 172 && (second & 0xF0) == 16
        || first == 192 && second == 168 || first == 100 && (second & 0xC0) == 64) {
      return PRIVATE;
    }
    return PUBLIC;
  }

  private static AddressClass ipv6(byte[] b) {
    byte[] embedded = embeddedIpv4(b);
    if (embedded != null) {
      return ipv4(embedded);
    }
    int first = b[0] & 0xFF;
    int second = b[1] & 0xFF;
    if (first == 0xFE && (second & 0xC0) == 0x80 || Arrays.equals(b, EC2_IPV6_METADATA)) {
      return METADATA;
    }
    boolean unspecifiedOrLoopback = zeros(b, 0, 15) && (b[15] == 0 || b[15] == 1);
    if (unspecifiedOrLoopback || (first & 0xFE) == 0xFC || first == 0xFE && (second & 0xC0) == 0xC0) {
      return PRIVATE;
    }
    return PUBLIC;
  }

  /**
   * The IPv4 address an IPv6 one carries and reaches: mapped {@code ::ffff:a.b.c.d}, translated
   * {@code ::ffff:0:a.b.c.d}, compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d} and
   * 6to4 {@code 2002:aabb:ccdd::}; {@code null} for any other.
   */
  private static byte[] embeddedIpv4(byte[] b) {
    boolean mapped = zeros(b, 0, 10) && ff(b, 10);
    boolean translated = zeros(b, 0, 8) && ff(b, 8) && b[10] == 0 && b[11] == 0;
    boolean compatible = zeros(b, 0, 12) && !(zeros(b, 12, 15) && (b[15] == 0 || b[15] == 1));
    boolean nat64 = b[0] == 0 && b[1] == 0x64 && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x9B && zeros(b, 4, 12);
    if (mapped || translated || compatible || nat64) {
      return Arrays.copyOfRange(b, 12, 16);
    }
    if (b[0] == 0x20 && b[1] == 0x02) {
      return Arrays.copyOfRange(b, 2, 6);
    }
    return null;
  }

  private static boolean zeros(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean ff(byte[] b, int at) {
    return b[at] == (byte) 0xFF && b[at + 1] == (byte) 0xFF;
  }

  private static byte[] address(String literal) {
    try {
      return InetAddress.getByName("[" + literal + "]").getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
