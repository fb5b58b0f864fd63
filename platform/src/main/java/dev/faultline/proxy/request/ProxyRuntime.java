package dev.faultline.proxy.request;

import dev.faultline.proxy.upstream.UpstreamPolicy;
import dev.faultline.server.ConnectionTimeouts;
import java.util.List;
import java.util.Objects;

/**
 * What every proxy of this host shares: where it binds, its body limit, the features' steps by
 * phase — the checks run at accept, before the body is read, then the pipeline's interceptors in
 * order (request steps, then those around the provider call) — who watches finished exchanges,
 * how long it waits for its callers, and where its upstreams may be ({@link UpstreamPolicy}).
 */
public record ProxyRuntime(String host, long maxBodyBytes, List<AcceptCheckFactory> acceptChecks,
                           List<InterceptorFactory> interceptors, ExchangeListener listener,
                           ConnectionTimeouts timeouts, UpstreamPolicy upstreams) {

  public ProxyRuntime {
    acceptChecks = List.copyOf(acceptChecks);
    interceptors = List.copyOf(interceptors);
    timeouts = timeouts == null ? ConnectionTimeouts.defaults() : timeouts;
    Objects.requireNonNull(upstreams, "upstreams");
  }
}
