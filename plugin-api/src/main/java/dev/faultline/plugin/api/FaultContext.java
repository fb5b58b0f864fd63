package dev.faultline.plugin.api;

import io.vertx.core.Vertx;

/** What the host gives a fault for the proxy it serves. */
public interface FaultContext {

  /** The host's Vert.x instance, for timers in a {@link ResponseWrapper}. */
  Vertx vertx();

  /** The proxy's id. */
  String proxyId();

  /**
   * Whether this proxy runs on several nodes of a cluster at once: a fault that keeps a limit
   * then keeps it in {@link #counter}s, so the limit counts the whole cluster's requests (and
   * decides in {@link Fault#decideAsync}). False on one node.
   */
  default boolean clustered() {
    return false;
  }

  /**
   * The counter named {@code name} of this fault entry: the same one on every node of a cluster
   * (the host keeps it in the cluster's shared data), in memory on one node. The same name gives
   * the same counter for as long as the entry's settings stay as they are. The default, for
   * contexts outside Faultline (a strategy's unit test), is a new in-memory counter per call.
   */
  default SharedCounter counter(String name) {
    return SharedCounter.inMemory();
  }
}
