package dev.faultline.plugin.api;

import io.vertx.core.Future;

/** A provider serving one running proxy. */
@FunctionalInterface
public interface ProviderSession {

  /**
   * Answers one request. Called on the proxy's event loop; must not block. A failed future
   * means the upstream could not be reached or broke before answering: the host answers the
   * caller with a 502 shaped by {@link Provider#error}. An answer the upstream did give, error
   * status or not, is a succeeded future.
   */
  Future<ProviderResponse> forward(ProxyRequest request);

  /** Releases what {@link Provider#open} took (clients, timers). Called when the proxy stops. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
