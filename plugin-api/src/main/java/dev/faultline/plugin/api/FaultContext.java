package dev.faultline.plugin.api;

import io.vertx.core.Vertx;

/** What the host gives a fault for the proxy it serves. */
public interface FaultContext {

  /** The host's Vert.x instance, for timers in a {@link ResponseWrapper}. */
  Vertx vertx();

  /** The proxy's id. */
  String proxyId();
}
