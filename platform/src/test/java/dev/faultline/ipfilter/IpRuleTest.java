package dev.faultline.ipfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules and caller addresses on their own: CIDR arithmetic, wildcards, literals only, forwarded chains. */
class IpRuleTest {

  @Test
  void cidrBlocksMatchTheirPrefix() {
    IpRule ten = IpRule.parse("10.0.0.0/8");
    assertTrue(ten.matches(ip("10.255.1.2")));
    assertFalse(ten.matches(ip("11.0.0.1")));
    IpRule odd = IpRule.parse("192.168.1.128/25");
    assertTrue(odd.matches(ip("192.168.1.200")));
    assertFalse(odd.matches(ip("192.168.1.127")));
    assertTrue(IpRule.parse("0.0.0.0/0").matches(ip("8.8.8.8")));
    assertTrue(IpRule.parse("10.0.0.7").matches(ip("10.0.0.7")));
    assertFalse(IpRule.parse("10.0.0.7").matches(ip("10.0.0.8")));
  }

  @Test
  void ipv6RulesMatchIpv6AddressesOnly() {
    IpRule doc = IpRule.parse("2001:db8::/32");
    assertTrue(doc.matches(ip("2001:db8:1::5")));
    assertFalse(doc.matches(ip("2001:db9::1")));
    assertFalse(doc.matches(ip("10.0.0.1")));
    assertTrue(IpRule.parse("::1").matches(ip("0:0:0:0:0:0:0:1")));
    assertTrue(IpRule.parse("10.0.0.0/8").matches(ip("::ffff:10.1.2.3")), "an IPv4-mapped address is its IPv4 one");
  }

  @Test
  void wildcardsMatchOctetByOctet() {
    IpRule rule = IpRule.parse("10.0.*.*");
    assertTrue(rule.matches(ip("10.0.200.3")));
    assertFalse(rule.matches(ip("10.1.0.3")));
    assertTrue(IpRule.parse("*.*.*.1").matches(ip("192.168.0.1")));
    assertTrue(IpRule.parse("*").matches(ip("::1")));
    assertFalse(IpRule.parse("*").matches(null), "an address that is not one matches no rule");
  }

  @Test
  void badRulesAreRefusedSayingWhy() {
    assertMessage("10.0.0.0/33", "from 0 to 32");
    assertMessage("2001:db8::/129", "from 0 to 128");
    assertMessage("300.1.1.1", "'300.1.1.1' is not an IPv4 or IPv6 address");
    assertMessage("10.0.*", "four IPv4 octets");
    assertMessage("10.0.256.*", "octet '256'");
    assertMessage("localhost", "'localhost' is not");
    assertMessage("fe80::1%eth0", "is not");
    assertMessage("", "is not");
  }

  @Test
  void forwardedAddressesAreBelievedOnlyFromTrustedPeers() {
    List<IpRule> trusted = List.of(IpRule.parse("10.0.0.0/24"));
    assertEquals("192.0.2.9", ClientAddress.resolve("192.0.2.9", List.of(), List.of("203.0.113.5"), trusted).text(),
        "an untrusted peer cannot name another caller");
    assertEquals("203.0.113.5", ClientAddress.resolve("10.0.0.2", List.of(), List.of("203.0.113.5"), trusted).text());
    assertEquals("203.0.113.5", ClientAddress.resolve("10.0.0.2", List.of(),
        List.of("198.51.100.1, 203.0.113.5, 10.0.0.9"), trusted).text(), "trusted hops are skipped from the right");
    assertEquals("2001:db8:cafe:0:0:0:0:17", ClientAddress.resolve("10.0.0.2",
        List.of("for=192.0.2.60;proto=http, for=\"[2001:db8:cafe::17]:4711\""), List.of("203.0.113.5"), trusted).text(),
        "Forwarded wins over X-Forwarded-For");
    ClientAddress unknown = ClientAddress.resolve("10.0.0.2", List.of("for=unknown"), List.of(), trusted);
    assertEquals("unknown", unknown.text());
    assertNull(unknown.bytes());
    assertEquals("10.0.0.2", ClientAddress.resolve("10.0.0.2", List.of(), List.of(), trusted).text());
  }

  @Test
  void anIpv4MaskHoldsForEveryPrefixLength() {
    int network = 0xC0A8_5AA5; // 192.168.90.165: alternating bits, so a mask shifted the wrong way shows
    for (int prefix = 0; prefix <= 32; prefix++) {
      int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
      IpRule rule = IpRule.parse(text(network) + "/" + prefix);
      assertTrue(rule.matches(bytes(network & mask)), "/" + prefix + " holds its first address");
      assertTrue(rule.matches(bytes(network | ~mask)), "/" + prefix + " holds its last address");
      if (prefix > 0) {
        int outside = network ^ (1 << (32 - prefix)); // the last bit of the prefix flipped
        assertFalse(rule.matches(bytes(outside)), "/" + prefix + " must not hold " + text(outside));
      }
    }
  }

  @Test
  void prefixLengthsStopAtTheAddressWidth() {
    assertTrue(IpRule.parse("10.0.0.7/32").matches(ip("10.0.0.7")));
    assertMessage("10.0.0.7/33", "from 0 to 32 for an IPv4 address");
    assertTrue(IpRule.parse("2001:db8::1/128").matches(ip("2001:db8::1")));
    assertFalse(IpRule.parse("2001:db8::1/128").matches(ip("2001:db8::2")));
    assertMessage("2001:db8::1/129", "from 0 to 128 for an IPv6 address");
    assertTrue(IpRule.parse("10.0.0.255").matches(ip("10.0.0.255")));
    assertTrue(IpRule.parse("10.0.*.255").matches(ip("10.0.7.255")));
    assertMessage("10.0.*.256", "octet '256' must be a number from 0 to 255");
  }

  private static String text(int address) {
    return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
  }

  private static byte[] bytes(int address) {
    return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
  }

  private static void assertMessage(String rule, String part) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> IpRule.parse(rule));
    assertTrue(error.getMessage().contains(part), error.getMessage());
  }

  private static byte[] ip(String text) {
    byte[] bytes = Addresses.parse(text);
    if (bytes == null) {
      throw new AssertionError("not an address: " + text);
    }
    return bytes;
  }
}
