package dev.faultline.cluster;

import java.util.List;

/**
 * Cluster mode: several nodes on one clustered Vert.x event bus (Hazelcast underneath), joined
 * through an explicit member list (no multicast: it fails in containers and VPNs).
 *
 * @param enabled    whether this node joins a cluster
 * @param members    {@code host[:port]} of the nodes to join through (this one may be listed too)
 * @param port       Hazelcast's port on this node (members listed without a port are looked for on it)
 * @param host       the interface Hazelcast and the event bus bind; {@code null}: Hazelcast's choice
 * @param publicHost the address other nodes reach this node's event bus at (behind NAT, in
 *                   containers); {@code null}: {@code host}
 * @param busPort    the event bus's port; 0: any free one
 */
public record ClusterSettings(boolean enabled, List<String> members, int port, String host, String publicHost,
                              int busPort) {

  public static final int DEFAULT_PORT = 5701;

  public ClusterSettings {
    members = members == null ? List.of() : List.copyOf(members);
    host = blankToNull(host);
    publicHost = blankToNull(publicHost);
  }

  public static ClusterSettings off() {
    return new ClusterSettings(false, List.of(), DEFAULT_PORT, null, null, 0);
  }

  /**
   * Why a clustered node cannot run on the embedded SQLite store; the launcher and
   * {@code Faultline.start} refuse with it.
   */
  public static String sqliteRefusal() {
    return "cluster.enabled (FAULTLINE_CLUSTER_ENABLED): a clustered node cannot use the embedded SQLite store: "
        + "SQLite is a file on one machine, which the nodes of a cluster cannot share, so each would see its own "
        + "proxies, cache and logs. Set store.url (FAULTLINE_STORE_URL) on every node to the same PostgreSQL "
        + "database";
  }

  /** Checks a {@code host[:port]} member; throws IllegalArgumentException saying what is wrong. */
  public static void checkMember(String member) {
    String value = member.trim();
    int colon = value.lastIndexOf(':');
    if (value.isEmpty() || value.startsWith(":")) {
      throw new IllegalArgumentException("'" + member + "' is not host[:port]");
    }
    if (colon > 0 && value.indexOf(':') == colon) {
      try {
        int port = Integer.parseInt(value.substring(colon + 1));
        if (port < 1 || port > 65535) {
          throw new IllegalArgumentException("'" + member + "': a port is between 1 and 65535");
        }
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + member + "' is not host[:port]");
      }
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
