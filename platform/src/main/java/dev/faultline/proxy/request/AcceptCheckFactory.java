package dev.faultline.proxy.request;

import dev.faultline.plugin.api.Provider;
import dev.faultline.proxy.ProxyDefinition;
import java.util.Optional;

/** Makes a feature's {@link AcceptCheck} for one proxy from its settings, as {@link InterceptorFactory} makes steps. */
@FunctionalInterface
public interface AcceptCheckFactory {

  /** The check for {@code proxy}, or empty when the feature is off for it. */
  Optional<AcceptCheck> create(ProxyDefinition proxy, Provider provider);
}
