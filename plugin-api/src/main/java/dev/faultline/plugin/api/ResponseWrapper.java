package dev.faultline.plugin.api;

/**
 * Replaces a response before the caller gets it: the raw tool for what
 * {@link FaultDecision#events} cannot do (change the status, corrupt a JSON body, throttle bytes).
 * Runs on the proxy's event loop: never block; use {@link FaultContext#vertx()} for timers.
 *
 * <p>The new response's {@code cancel} must cancel the original's, so an abandoned request still
 * stops the upstream.
 */
@FunctionalInterface
public interface ResponseWrapper {

  ProviderResponse wrap(ProviderResponse response);
}
