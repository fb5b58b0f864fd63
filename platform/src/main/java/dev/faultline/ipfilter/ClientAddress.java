package dev.faultline.ipfilter;

import java.util.ArrayList;
import java.util.List;

/**
 * Who the caller is: the socket peer, unless the peer is a trusted reverse proxy, in which case
 * the address it says it forwarded for ({@code Forwarded: for=…}, else {@code X-Forwarded-For}),
 * read from the right and skipping further trusted proxies. A peer that is not trusted cannot
 * claim another address: its headers are ignored.
 *
 * @param text  the address as logged
 * @param bytes the address, or {@code null} when a trusted proxy named something that is not one
 *              (such a caller passes only an empty allow list)
 */
record ClientAddress(String text, byte[] bytes) {

  static ClientAddress resolve(String peer, List<String> forwarded, List<String> forwardedFor, List<IpRule> trusted) {
    byte[] peerBytes = Addresses.parse(peer);
    ClientAddress client = new ClientAddress(peerBytes == null ? peer : Addresses.format(peerBytes), peerBytes);
    if (!isTrusted(peerBytes, trusted)) {
      return client;
    }
    List<String> chain = !forwarded.isEmpty() ? forwardedFors(forwarded) : split(forwardedFor);
    for (int i = chain.size() - 1; i >= 0; i--) {
      String hop = strip(chain.get(i));
      byte[] bytes = Addresses.parse(hop);
      client = new ClientAddress(bytes == null ? hop : Addresses.format(bytes), bytes);
      if (!isTrusted(bytes, trusted)) {
        return client;
      }
    }
    return client;
  }

  private static boolean isTrusted(byte[] address, List<IpRule> trusted) {
    return trusted.stream().anyMatch(rule -> rule.matches(address));
  }

  /** The {@code for=} of every element of RFC 7239 {@code Forwarded} headers, in order. */
  private static List<String> forwardedFors(List<String> headers) {
    List<String> fors = new ArrayList<>();
    for (String element : split(headers)) {
      for (String pair : element.split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase("for")) {
          fors.add(pair.substring(eq + 1).trim());
        }
      }
    }
    return fors;
  }

  private static List<String> split(List<String> headers) {
    List<String> values = new ArrayList<>();
    for (String header : headers) {
      for (String value : header.split(",")) {
        if (!value.isBlank()) {
          values.add(value.trim());
        }
      }
    }
    return values;
  }

  /** {@code "[2001:db8::1]:4711"}, {@code 10.0.0.1:80} and quotes down to the bare address. */
  private static String strip(String hop) {
    String value = hop.startsWith("\"") && hop.endsWith("\"") && hop.length() > 1
        ? hop.substring(1, hop.length() - 1) : hop;
    if (value.startsWith("[")) {
      int close = value.indexOf(']');
      return close > 0 ? value.substring(1, close) : value;
    }
    int colon = value.indexOf(':');
    return colon > 0 && value.indexOf(':', colon + 1) < 0 ? value.substring(0, colon) : value;
  }
}
