package dev.faultline.proxy;

import dev.faultline.server.ConnectionTimeouts;
import java.util.List;

/**
 * What every proxy of this host shares: where it binds, its body limit, the interceptors of
 * each feature in pipeline order, who watches finished exchanges, and how long it waits for
 * its callers.
 */
public record ProxyRuntime(String host, long maxBodyBytes, List<InterceptorFactory> interceptors,
                           ExchangeListener listener, ConnectionTimeouts timeouts) {

  public ProxyRuntime {
    interceptors = List.copyOf(interceptors);
    timeouts = timeouts == null ? ConnectionTimeouts.defaults() : timeouts;
  }

  /** With the default connection timeouts. */
  public ProxyRuntime(String host, long maxBodyBytes, List<InterceptorFactory> interceptors,
                      ExchangeListener listener) {
    this(host, maxBodyBytes, interceptors, listener, null);
  }
}
