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

  /**
   * Answers one request whose answer may stop being wanted before it begins: {@code abandoned}
   * completes when nobody will read it any more (the caller left, or the proxy's own upstream
   * timeout answered the caller first). A provider that can should then stop its upstream call
   * at once, because an LLM upstream goes on generating (and billing) the whole answer for
   * nobody. This is what the host calls; the default ignores the signal and calls
   * {@link #forward(ProxyRequest)}, and the host cancels the answer once it arrives with
   * {@link ProviderResponse#cancel()}.
   */
  default Future<ProviderResponse> forward(ProxyRequest request, Future<Void> abandoned) {
    return forward(request);
  }

  /** Releases what {@link Provider#open} took (clients, timers). Called when the proxy stops. */
  default Future<Void> close() {
    return Future.succeededFuture();
  }
}
