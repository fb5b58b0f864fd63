package dev.faultline.cluster;

import dev.faultline.FaultlineHarness;
import dev.faultline.auth.AuthSettings;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import dev.faultline.store.PostgresServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Clustered Faultline nodes in this JVM, each on its own clustered Vert.x (Hazelcast joined over
 * TCP-IP on 127.0.0.1, free ports) and its own loopback address (127.0.0.1, .2, .3…: Linux
 * routes the whole 127/8 to loopback), so every node binds each proxy's port as separate
 * machines would. They share one PostgreSQL database (the test server's, see {@link PostgresServer}).
 */
final class ClusterNodes {

  /** How many ports the proxies' range has. */
  private static final int PROXY_PORTS = 41;

  final List<Integer> hazelcastPorts;
  final List<String> members;
  final int portFrom;
  /** Each node's TCP event-bus bridge. */
  final List<Integer> bridgePorts;
  private final Path dataDir;
  private final String storeUrl;

  /** @param dataDir where each node keeps its own folder (its plugins' state, keys); the rows are in PostgreSQL */
  ClusterNodes(Path dataDir, int count) {
    this(dataDir, count, PostgresServer.freshDatabase());
  }

  ClusterNodes(Path dataDir, int count, String storeUrl) {
    this.dataDir = dataDir;
    this.storeUrl = storeUrl;
    // None of these is handed out again in this JVM: a node whose Hazelcast or bridge port is a
    // proxy's could not run that proxy ("in use by another program").
    this.portFrom = FaultlineHarness.freeRange(PROXY_PORTS);
    this.hazelcastPorts = IntStream.range(0, count).mapToObj(i -> FaultlineHarness.freePort()).toList();
    this.members = hazelcastPorts.stream().map(port -> "127.0.0.1:" + port).toList();
    this.bridgePorts = IntStream.range(0, count).mapToObj(i -> FaultlineHarness.freePort()).toList();
  }

  /** Node {@code i}'s loopback address. */
  static String host(int i) {
    return "127.0.0." + (i + 1);
  }

  ClusterSettings settings(int i) {
    return new ClusterSettings(true, members, hazelcastPorts.get(i), "127.0.0.1", null, 0);
  }

  FaultlineConfig config(int i) {
    try {
      // Each node's own folder, made as an installation's is (the PostgreSQL store makes none).
      Files.createDirectories(dataDir.resolve("node" + i));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new FaultlineConfig(host(i), 0, dataDir.resolve("node" + i), FaultlineHarness.PLUGINS, null, portFrom,
        portTo(), 1024 * 1024, 1)
        .withAuth(AuthSettings.defaults().withAdmin(FaultlineHarness.ADMIN_EMAIL, FaultlineHarness.ADMIN_PASSWORD,
            FaultlineHarness.ADMIN_TOKEN))
        .withMonitoring(new FaultlineConfig.Monitoring(30, 1_000_000, 50_000, bridgePorts.get(i), null))
        .withStore(new FaultlineConfig.Store(storeUrl, null, null))
        .withCluster(settings(i));
  }

  /** The last port of the proxies' range, the same on every node. */
  int portTo() {
    return portFrom + PROXY_PORTS - 1;
  }

  Path dataDir() {
    return dataDir;
  }

  /** Joins node {@code i}'s Vert.x to the cluster. */
  Future<Vertx> join(int i) {
    ClusterSettings settings = settings(i);
    return ClusterNode.join(Vertx.builder().with(ClusterNode.options(settings)), settings);
  }

  /** Node {@code i}: its Vert.x joined, Faultline started on it. */
  Future<Node> start(int i) {
    // A failed start leaves its Vert.x to the JVM's end: closing it here would complete the
    // failure on an event loop that is already gone, and hide it.
    return join(i).compose(vertx -> Faultline.start(vertx, config(i)).map(faultline -> new Node(i, vertx, faultline)));
  }

  /** The nodes one after the other (the first admin is made once, by the first). */
  List<Node> startAll(int count) {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nodes.add(FaultlineHarness.await(start(i)));
    }
    return nodes;
  }

  record Node(int index, Vertx vertx, Faultline faultline) {
    String host() {
      return ClusterNodes.host(index);
    }

    int adminPort() {
      return faultline.adminPort();
    }

    Future<Void> stop() {
      return faultline.stop().eventually(vertx::close);
    }
  }
}
