package dev.faultline.proxy;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.plugin.api.ProviderSession;
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
    Future<Void> abandoned = exchange.abandoned();
    if (abandoned.isComplete()) {
      // The caller left while an earlier step held the request (a delay, a cache wait): no call,
      // whether or not the provider would stop one itself.
      return Future.failedFuture(new ProxyError(ApiError.badGateway("The caller left before the upstream call")));
    }
    exchange.upstreamStarted();
    return session.forward(exchange.request(), abandoned)
        .onSuccess(response -> exchange.upstreamAnswered())
        .recover(error -> Future.failedFuture(error instanceof ProxyError ? error : new ProxyError(
            ApiError.badGateway("Upstream unreachable or broken before it answered: " + error.getMessage()))));
  }
}
