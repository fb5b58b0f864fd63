package dev.faultline.plugin.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * What the host gives a provider for one proxy. Narrow on purpose: a plugin never reaches the
 * host's database or clients.
 */
public interface ProviderContext {

  /** The host's Vert.x instance; create clients and timers with it. */
  Vertx vertx();

  /** The proxy's id. */
  String proxyId();

  /** The proxy's upstream base URL (or the provider's default), {@code null} when none. */
  String upstream();

  /** The proxy's provider-specific {@code options} object; empty when it has none. */
  JsonObject options();

  /**
   * Resolves and checks the upstream's address before each connection (see {@link UpstreamGuard});
   * a provider that connects to {@link #upstream()} goes through it. The host gives every proxy
   * its own; this default, for contexts that predate it, checks nothing.
   */
  default UpstreamGuard guard() {
    return UpstreamGuard.unchecked();
  }
}
