package dev.faultline.api;

import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names the admin server answers to in {@code Host}. A page whose DNS name an attacker
 * rebinds to 127.0.0.1 reaches the admin port under that name; answering only known names shuts
 * it out. Always allowed: the loopback names, the bound address and the address a request came
 * in on (an IP literal cannot be rebound: a browser sending it connected to it on purpose).
 */
public final class AllowedHosts {

  /** Allowed whatever the setting says; nobody can rebind them. */
  public static final List<String> ALWAYS = List.of("localhost", "127.0.0.1", "[::1]");

  private static final Pattern DNS_NAME = Pattern.compile(
      "(?i)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*");
  private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::");

  private final Set<String> names;

  /**
   * @param bound      the address the admin server binds (a wildcard adds nothing)
   * @param configured further names, each as {@link #parse} accepts it
   */
  public AllowedHosts(String bound, Collection<String> configured) {
    Set<String> all = new LinkedHashSet<>();
    ALWAYS.forEach(name -> all.add(normalize(name)));
    String boundName = normalize(bound);
    if (!WILDCARDS.contains(boundName)) {
      all.add(boundName);
    }
    configured.forEach(name -> all.add(normalize(parse(name))));
    this.names = Set.copyOf(all);
  }

  /**
   * Checks one configured name: a DNS name or an IP literal, without scheme, port or wildcard.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static String parse(String text) {
    String name = text == null ? "" : text.trim();
    if (name.isEmpty()) {
      throw new IllegalArgumentException("an empty host name");
    }
    String bare = stripBrackets(name);
    if (NetUtil.isValidIpV4Address(bare) || NetUtil.isValidIpV6Address(bare) || DNS_NAME.matcher(stripDot(name)).matches()) {
      return name;
    }
    throw new IllegalArgumentException("'" + name + "' is not a host name or IP address (no scheme, port or "
        + "wildcard; e.g. faultline.internal, 192.168.1.5, [fd00::1])");
  }

  /**
   * Whether a request whose {@code Host} names {@code host} may be served.
   *
   * @param local the address the request came in on, as the socket reports it, or null
   */
  public boolean allows(String host, String local) {
    if (host == null || host.isBlank()) {
      return false;
    }
    String name = normalize(host);
    return names.contains(name) || local != null && name.equals(normalize(local));
  }

  /** The names always served, for an error message. */
  public List<String> names() {
    List<String> shown = new ArrayList<>();
    names.forEach(name -> shown.add(name.indexOf(':') >= 0 ? "[" + name + "]" : name));
    shown.sort(null);
    return shown;
  }

  /** Lower case, no trailing dot, an IP literal in one canonical text (IPv4-mapped as IPv4). */
  static String normalize(String host) {
    String name = stripDot(stripBrackets(host.trim())).toLowerCase(Locale.ROOT);
    byte[] address = NetUtil.createByteArrayFromIpAddressString(name);
    if (address == null) {
      return name;
    }
    if (address.length == 16 && isIpv4Mapped(address)) {
      byte[] v4 = new byte[4];
      System.arraycopy(address, 12, v4, 0, 4);
      address = v4;
    }
    return NetUtil.bytesToIpAddress(address);
  }

  private static boolean isIpv4Mapped(byte[] address) {
    for (int i = 0; i < 10; i++) {
      if (address[i] != 0) {
        return false;
      }
    }
    return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
  }

  private static String stripBrackets(String name) {
    return name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
  }

  private static String stripDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }
}
