package dev.faultline.feature;

import dev.faultline.api.ApiRoutes;
import dev.faultline.api.HealthSection;
import dev.faultline.plugins.PluginHost;
import dev.faultline.proxy.ProxyBlock;
import dev.faultline.proxy.control.ProxyManager;
import dev.faultline.proxy.request.AcceptCheckFactory;
import dev.faultline.proxy.request.ExchangeListener;
import dev.faultline.proxy.request.InterceptorFactory;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * One capability of Faultline (failure simulation, the cache, the logs…) as the host sees it:
 * what it adds to every proxy and to the admin API, and what it runs beside them. The host
 * wires a list of features and nothing else; a new capability is a new folder with one of these,
 * and touches no other feature.
 *
 * <p>A request meets the features' steps in three phases, and within a phase in the order of the
 * host's list:
 * <ol>
 *   <li><b>accept</b> — checks on the request's head, before its body is read (IP filter, caller
 *       limit): a refused request costs no body read;</li>
 *   <li><b>request</b> — steps with the parsed request, before the upstream call (faults, then
 *       the cache, so a faulted request reaches neither);</li>
 *   <li><b>response</b> — steps closest around the provider call (the upstream timeout, so that
 *       a cache hit never waits on it).</li>
 * </ol>
 * Every method has a default: a feature says only what it has.
 */
public interface Feature {

  /** Its settings blocks on every proxy (e.g. {@code cache}), stored and validated with the proxy. */
  default List<ProxyBlock> blocks() {
    return List.of();
  }

  default List<AcceptCheckFactory> acceptChecks() {
    return List.of();
  }

  default List<InterceptorFactory> requestSteps() {
    return List.of();
  }

  default List<InterceptorFactory> responseSteps() {
    return List.of();
  }

  /** Who wants to see every finished exchange (the logs). */
  default Optional<ExchangeListener> listener() {
    return Optional.empty();
  }

  /**
   * Starts what it runs beside the proxies (writers, aggregators), before any proxy serves.
   * What it deploys through {@code deployer} is stopped after the proxies, in reverse order.
   */
  default Future<Void> start(Deployer deployer) {
    return Future.succeededFuture();
  }

  /** Its admin API routes; they may act on proxies through {@code proxies}. */
  default List<ApiRoutes> routes(ProxyManager proxies) {
    return List.of();
  }

  /** Its parts of {@code GET /healthz}. */
  default List<HealthSection> health() {
    return List.of();
  }

  /** Event-bus addresses it publishes on that the bridges may carry to subscribers outside. */
  default List<String> outboundAddresses() {
    return List.of();
  }

  /** The plugins folder changed (the proxies have already followed their providers). */
  default Future<Void> pluginsChanged(PluginHost.PluginChange change, ProxyManager proxies) {
    return Future.succeededFuture();
  }

  /** Deploys a verticle for the host, which undeploys it at shutdown. */
  @FunctionalInterface
  interface Deployer {
    Future<String> deploy(Deployable verticle);
  }
}
