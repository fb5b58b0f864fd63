package dev.faultline.proxy.request;

import dev.faultline.plugin.api.ProviderResponse;
import io.vertx.core.Future;

/**
 * One step around the provider call, in the order of the pipeline
 * {@code faults → cache → upstream timeout → provider.forward}. A step may answer by itself (a
 * cache hit, an injected error), call {@link Chain#proceed} and change what comes back (wrap the
 * body of a stream), or fail with {@link ProxyError} (an error for the caller) or
 * {@link ConnectionReset} (drop the connection without an answer).
 *
 * <p>Runs on the proxy's event loop: never block.
 */
@FunctionalInterface
public interface Interceptor {

  Future<ProviderResponse> intercept(Exchange exchange, Chain chain);

  /** The rest of the pipeline after this step. */
  @FunctionalInterface
  interface Chain {
    Future<ProviderResponse> proceed(Exchange exchange);
  }
}
