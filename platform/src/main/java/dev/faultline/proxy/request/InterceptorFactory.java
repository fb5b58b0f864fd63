package dev.faultline.proxy.request;

import dev.faultline.plugin.api.Provider;
import dev.faultline.proxy.ProxyDefinition;
import java.util.Optional;

/**
 * Makes a feature's {@link Interceptor} for one proxy from its settings. Called whenever the
 * proxy starts or its settings change, on the proxy's event loop; the interceptor is then used
 * for every request until the next change.
 */
@FunctionalInterface
public interface InterceptorFactory {

  /** The interceptor for {@code proxy}, or empty when the feature is off for it. */
  Optional<Interceptor> create(ProxyDefinition proxy, Provider provider);
}
