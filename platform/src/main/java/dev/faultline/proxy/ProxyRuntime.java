package dev.faultline.proxy;

import java.util.List;

/**
 * What every proxy of this host shares: where it binds, its body limit, the interceptors of
 * each feature in pipeline order, and who watches finished exchanges.
 */
public record ProxyRuntime(String host, long maxBodyBytes, List<InterceptorFactory> interceptors,
                           ExchangeListener listener) {

  public ProxyRuntime {
    interceptors = List.copyOf(interceptors);
  }
}
