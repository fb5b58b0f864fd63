package dev.faultline.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins this node to its cluster: a clustered Vert.x over Hazelcast, which the nodes find through
 * the member list (TCP-IP, multicast off), and which a node of another version leaves at once.
 * Each member publishes what it is compatible with as a Hazelcast member attribute; a joining
 * node that finds a member with another one leaves and fails, naming both.
 */
public final class ClusterNode {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

  /** The member attribute holding {@link Compatibility#current()} (or a test's). */
  static final String COMPATIBILITY_ATTRIBUTE = "faultline.compatibility";
  static final String CLUSTER_NAME = "faultline";

  private ClusterNode() {
  }

  /** What Vert.x needs to know of the cluster before it is built: where the event bus binds and is reached. */
  public static VertxOptions options(ClusterSettings settings) {
    EventBusOptions bus = new EventBusOptions().setPort(settings.busPort());
    if (settings.host() != null) {
      bus.setHost(settings.host());
    }
    String publicHost = settings.publicHost() != null ? settings.publicHost() : settings.host();
    if (publicHost != null) {
      bus.setClusterPublicHost(publicHost);
    }
    return new VertxOptions().setEventBusOptions(bus);
  }

  /** Builds a clustered Vert.x from {@code builder} (made with {@link #options}) and joins the cluster. */
  public static Future<Vertx> join(VertxBuilder builder, ClusterSettings settings) {
    return join(builder, settings, Compatibility.current());
  }

  /** @param compatibility what this node says it is compatible with (a test may pretend another version) */
  public static Future<Vertx> join(VertxBuilder builder, ClusterSettings settings, String compatibility) {
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast(settings, compatibility));
    return builder.withClusterManager(manager).buildClustered()
        .compose(vertx -> checkCompatible(vertx, manager, compatibility));
  }

  /** This node's id in the cluster ({@code null} when not clustered). */
  public static String nodeId(Vertx vertx) {
    return vertx.isClustered() ? ((VertxInternal) vertx).clusterManager().getNodeId() : null;
  }

  /** The ids of the nodes in the cluster now, this one included. */
  public static List<String> nodes(Vertx vertx) {
    return vertx.isClustered() ? ((VertxInternal) vertx).clusterManager().getNodes() : List.of();
  }

  /**
   * Hazelcast's configuration: Vert.x's defaults (the maps it keeps subscriptions in), joined by
   * TCP-IP only, with no phone-home and its logging through slf4j like the rest of Faultline.
   */
  static Config hazelcast(ClusterSettings settings, String compatibility) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(CLUSTER_NAME);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // Vert.x leaves the cluster itself at shutdown, after Faultline stopped; Hazelcast's own hook would race it.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    // The member list is explicit: there is nobody else to wait for before the first node starts alone.
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    // A node killed without leaving is noticed within seconds, not a minute.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    config.getMemberAttributeConfig().setAttribute(COMPATIBILITY_ATTRIBUTE, compatibility);
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.port()).setPortAutoIncrement(false);
    if (settings.host() != null) {
      config.setProperty("hazelcast.local.localAddress", settings.host());
      config.setProperty("hazelcast.socket.bind.any", "false");
    }
    if (settings.publicHost() != null) {
      network.setPublicAddress(settings.publicHost() + ":" + settings.port());
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(settings.members().stream()
        .map(member -> member.contains(":") ? member : member + ":" + settings.port())
        .toList());
    return config;
  }

  /** Leaves (closing {@code vertx}) and fails when a member runs an incompatible version. */
  private static Future<Vertx> checkCompatible(Vertx vertx, HazelcastClusterManager manager, String compatibility) {
    for (Member member : manager.getHazelcastInstance().getCluster().getMembers()) {
      String theirs = member.getAttribute(COMPATIBILITY_ATTRIBUTE);
      if (!member.localMember() && !Objects.equals(theirs, compatibility)) {
        String why = "this node (" + compatibility + ") cannot join a cluster whose member " + member.getAddress()
            + " runs " + (theirs == null ? "something other than Faultline" : theirs) + ": every node of a "
            + "cluster runs the same Faultline version and plugin API. It left the cluster again; upgrade the "
            + "nodes together (stop all, start all on the new version)";
        LOG.error("Cluster: {}", why);
        return vertx.close().transform(v -> Future.failedFuture(new IncompatibleNodeException(why)));
      }
    }
    LOG.info("Cluster: joined as {} with {} member(s) ({})", manager.getNodeId(),
        manager.getHazelcastInstance().getCluster().getMembers().size(), compatibility);
    return Future.succeededFuture(vertx);
  }

  /** A node of another version: it left the cluster it tried to join. */
  public static final class IncompatibleNodeException extends RuntimeException {
    public IncompatibleNodeException(String message) {
      super(message);
    }
  }
}
