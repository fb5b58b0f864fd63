package dev.faultline.proxy.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Hosts read the way a resolver reads them ({@code inet_aton}, IPv6 literals), then classed. */
class HostAddressTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "169.254.169.254, 169.254.169.254",
      "2852039166, 169.254.169.254",
      "0251.0376.0251.0376, 169.254.169.254",
      "0xa9fea9fe, 169.254.169.254",
      "0XA9FEA9FE, 169.254.169.254",
      "0xa9.0xfe.0xa9.0xfe, 169.254.169.254",
      "169.254.43518, 169.254.169.254",
      "169.16689662, 169.254.169.254",
      "169.254.169.254., 169.254.169.254",
      "0251.254.0xa9.254, 169.254.169.254",
      "127.1, 127.0.0.1",
      "0, 0.0.0.0",
      "0x, 0.0.0.0",
      "017700000001, 127.0.0.1",
      "10.0.0.5, 10.0.0.5",
      "[::ffff:169.254.169.254], 169.254.169.254",
      "[::ffff:a9fe:a9fe], 169.254.169.254",
      "::ffff:a9fe:a9fe, 169.254.169.254",
      "[::1], 0:0:0:0:0:0:0:1",
      "[fe80::1%25eth0], fe80:0:0:0:0:0:0:1",
      "[fd00:ec2::254], fd00:ec2:0:0:0:0:0:254",
  })
  void literalsInEverySpelling(String host, String address) {
    Optional<InetAddress> parsed = HostAddress.literal(host);
    assertTrue(parsed.isPresent(), host + " is an address");
    assertEquals(address, parsed.get().getHostAddress(), host);
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "api.openai.com", "metadata.google.internal", "1.2.3.4.5", "08", "0x1g",
      "1.2.3.256", "1.2.65536", "4294967296", "1..2", "", "[not:an:address]", "[::g]", "a9fe:a9fe.example"})
  void namesAndNonsenseAreNotLiterals(String host) {
    assertTrue(HostAddress.literal(host).isEmpty(), host + " is not an address");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "169.254.169.254, METADATA",
      "169.254.0.1, METADATA",
      "100.100.100.200, METADATA",
      "[fe80::1], METADATA",
      "[febf::1], METADATA",
      "[fd00:ec2::254], METADATA",
      "[::ffff:169.254.169.254], METADATA",
      "[::169.254.169.254], METADATA",
      "[64:ff9b::a9fe:a9fe], METADATA",
      "[2002:a9fe:a9fe::1], METADATA",
      "127.0.0.1, PRIVATE",
      "127.255.255.254, PRIVATE",
      "0.0.0.0, PRIVATE",
      "10.0.0.5, PRIVATE",
      "172.16.0.1, PRIVATE",
      "172.31.255.255, PRIVATE",
      "192.168.1.1, PRIVATE",
      "100.64.0.1, PRIVATE",
      "100.127.255.255, PRIVATE",
      "[::1], PRIVATE",
      "[::], PRIVATE",
      "[fc00::1], PRIVATE",
      "[fd12:3456::1], PRIVATE",
      "[::ffff:10.0.0.5], PRIVATE",
      "[::ffff:127.0.0.1], PRIVATE",
      "8.8.8.8, PUBLIC",
      "172.32.0.1, PUBLIC",
      "172.15.255.255, PUBLIC",
      "100.128.0.1, PUBLIC",
      "169.253.255.255, PUBLIC",
      "[2606:4700::1111], PUBLIC",
      "[fec0::1], PRIVATE",
  })
  void classes(String host, AddressClass expected) {
    assertEquals(expected, AddressClass.of(HostAddress.literal(host).orElseThrow()), host);
  }

  @ParameterizedTest(name = "{0} has host {1}")
  @CsvSource({
      "http://0251.0376.0251.0376/v1, 0251.0376.0251.0376",
      "http://169.254.43518:80, 169.254.43518",
      "http://[::ffff:a9fe:a9fe]:8080/x, [::ffff:a9fe:a9fe]",
      "https://api.openai.com/v1, api.openai.com",
      "http://1.2.3.4.:99, 1.2.3.4.",
  })
  void theHostOfAUrlEvenWhereUriGivesUp(String url, String host) {
    assertEquals(host, HostAddress.hostOf(URI.create(url)));
  }
}
