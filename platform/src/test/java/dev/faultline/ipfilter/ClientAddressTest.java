package dev.faultline.ipfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How a hop of a forwarded chain is read down to the address the log's client_ip shows. */
class ClientAddressTest {

  private static final List<IpRule> TRUSTED = List.of(IpRule.parse("10.0.0.0/8"));

  @Test
  void portsBracketsAndQuotesAreStrippedFromAHop() {
    assertEquals("203.0.113.5", viaForwarded("for=\"203.0.113.5:4711\""));
    assertEquals("203.0.113.5", viaForwarded("for=203.0.113.5"));
    assertEquals("2001:db8:0:0:0:0:0:1", viaForwarded("for=\"[2001:db8::1]:4711\""));
    assertEquals("2001:db8:0:0:0:0:0:1", viaForwardedFor("2001:db8::1"), "a bare IPv6 address keeps its colons");
    assertEquals("203.0.113.5", viaForwardedFor("203.0.113.5:80"));
  }

  @Test
  void hopsThatAreNotAddressesAreLoggedAsSentWithoutBytes() {
    assertEquals("\"", viaForwarded("for=\""), "a lone quote is not a quoted value");
    assertEquals("[2001:db8::1", viaForwarded("for=[2001:db8::1"), "no closing bracket");
    assertEquals(":80", viaForwardedFor(":80"));
    assertNull(ClientAddress.resolve("10.0.0.2", List.of("for=unknown"), List.of(), TRUSTED).bytes());
    ClientAddress peer = ClientAddress.resolve("some-socket", List.of(), List.of("203.0.113.5"), TRUSTED);
    assertEquals("some-socket", peer.text(), "a peer that is not an address is not trusted and kept as it is");
    assertNull(peer.bytes());
  }

  @Test
  void onlyForPairsOfForwardedCount() {
    assertEquals("203.0.113.5", viaForwarded("by=10.0.0.1;for=203.0.113.5;proto=https"));
    assertEquals("10.0.0.2", ClientAddress.resolve("10.0.0.2", List.of("=203.0.113.5", "proto=http"), List.of(),
        TRUSTED).text(), "no for= at all: the trusted peer itself");
  }

  @Test
  void theFirstUntrustedHopFromTheRightIsTheClient() {
    assertEquals("198.51.100.7", ClientAddress.resolve("10.0.0.2", List.of(),
        List.of("203.0.113.5, 198.51.100.7", "10.1.1.1"), TRUSTED).text());
    assertEquals("10.9.9.9", ClientAddress.resolve("10.0.0.2", List.of(), List.of("10.9.9.9, 10.1.1.1"), TRUSTED)
        .text(), "every hop trusted: the leftmost");
  }

  private static String viaForwarded(String forwarded) {
    return ClientAddress.resolve("10.0.0.2", List.of(forwarded), List.of(), TRUSTED).text();
  }

  private static String viaForwardedFor(String forwardedFor) {
    return ClientAddress.resolve("10.0.0.2", List.of(), List.of(forwardedFor), TRUSTED).text();
  }
}
