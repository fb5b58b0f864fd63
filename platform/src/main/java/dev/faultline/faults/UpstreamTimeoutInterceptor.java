package dev.faultline.faults;

import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.proxy.request.Exchange;
import dev.faultline.proxy.request.Interceptor;
import dev.faultline.proxy.request.ProxyError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Optional;

/**
 * The last pipeline step: gives the upstream until the proxy's timeout to answer. At the
 * deadline the caller gets a provider-shaped 504 and the upstream call is abandoned: stopped at
 * once by a provider that can, else its answer is cancelled when it comes, so nobody pays for
 * tokens no one reads.
 */
final class UpstreamTimeoutInterceptor implements Interceptor {

  private final ProxyFaults faults;
  private final Vertx vertx;

  UpstreamTimeoutInterceptor(ProxyFaults faults, Vertx vertx) {
    this.faults = faults;
    this.vertx = vertx;
  }

  @Override
  public Future<ProviderResponse> intercept(Exchange exchange, Chain chain) {
    Optional<Long> limit = faults.timeoutMillis(exchange);
    if (limit.isEmpty()) {
      return chain.proceed(exchange);
    }
    long millis = limit.get();
    Promise<ProviderResponse> answer = Promise.promise();
    long timer = vertx.setTimer(millis, id -> {
      if (!answer.future().isComplete()) {
        // Marked first: failing the answer sends the error response at once.
        FaultMark.touched(exchange, UpstreamTimeout.ID);
        answer.tryFail(new ProxyError(UpstreamTimeout.error(millis, exchange.dialect(),
            exchange.request() == null ? null : exchange.request().model())));
        exchange.abandonUpstream();
      }
    });
    chain.proceed(exchange).onComplete(result -> {
      vertx.cancelTimer(timer);
      boolean inTime = result.succeeded() ? answer.tryComplete(result.result()) : answer.tryFail(result.cause());
      if (!inTime && result.succeeded()) {
        result.result().cancel().run();
      }
    });
    return answer.future();
  }
}
