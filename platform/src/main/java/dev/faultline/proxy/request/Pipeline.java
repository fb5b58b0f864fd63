package dev.faultline.proxy.request;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.plugin.api.ProviderSession;
import dev.faultline.plugin.api.UpstreamRefusedException;
import io.vertx.core.Future;
import java.util.List;

/** A proxy's interceptors in order, ending in the provider call. */
final class Pipeline {

  private final List<Interceptor> steps;
  private final ProviderSession session;

  Pipeline(List<Interceptor> steps, ProviderSession session) {
    this.steps = List.copyOf(steps);
    this.session = session;
  }

  ProviderSession session() {
    return session;
  }

  Future<ProviderResponse> run(Exchange exchange) {
    return proceed(0, exchange);
  }

  private Future<ProviderResponse> proceed(int index, Exchange exchange) {
    if (exchange.callerLeft()) {
      // The caller left while a step held the request (a delay, a wait on an identical call):
      // nothing further runs for nobody, least of all the upstream call.
      return Future.failedFuture(new ConnectionReset("the caller left before the upstream call"));
    }
    try {
      if (index < steps.size()) {
        return steps.get(index).intercept(exchange, next -> proceed(index + 1, next));
      }
      return forward(exchange);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<ProviderResponse> forward(Exchange exchange) {
    exchange.upstreamStarted();
    return session.forward(exchange.request(), exchange.abandoned())
        .onSuccess(response -> exchange.upstreamAnswered())
        .recover(error -> Future.failedFuture(passedOn(error)));
  }

  private static ProxyError passedOn(Throwable error) {
    if (error instanceof ProxyError known) {
      return known;
    }
    if (error instanceof UpstreamRefusedException refused) {
      return new ProxyError(refused.error());
    }
    return new ProxyError(ApiError.badGateway("Upstream unreachable or broken before it answered: " + error.getMessage()));
  }
}
