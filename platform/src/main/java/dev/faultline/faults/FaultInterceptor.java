package dev.faultline.faults;

import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.proxy.request.ConnectionReset;
import dev.faultline.proxy.request.Exchange;
import dev.faultline.proxy.request.Interceptor;
import dev.faultline.proxy.request.ProxyError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first pipeline step: asks the proxy's faults about the request, then waits, answers,
 * hangs, resets, or goes on and changes the response, as they decided. Never holds a thread.
 */
final class FaultInterceptor implements Interceptor {

  private static final Logger LOG = LoggerFactory.getLogger(FaultInterceptor.class);

  private final ProxyFaults faults;
  private final Vertx vertx;

  FaultInterceptor(ProxyFaults faults, Vertx vertx) {
    this.faults = faults;
    this.vertx = vertx;
  }

  @Override
  public Future<ProviderResponse> intercept(Exchange exchange, Chain chain) {
    return faults.plan(exchange).compose(plan -> {
      plan.headers().forEach(exchange::responseHeader);
      plan.touched().forEach(strategy -> FaultMark.touched(exchange, strategy));
      if (plan.delayMillis() == 0) {
        return act(plan, exchange, chain);
      }
      // A caller who leaves during the delay goes no further: the pipeline stops at the next step.
      return vertx.timer(plan.delayMillis()).compose(v -> act(plan, exchange, chain));
    });
  }

  private Future<ProviderResponse> act(FaultPlan plan, Exchange exchange, Chain chain) {
    FaultDecision answer = plan.answer();
    if (answer instanceof FaultDecision.Respond respond) {
      return Future.failedFuture(new ProxyError(respond.error()));
    }
    if (answer instanceof FaultDecision.Reset) {
      return Future.failedFuture(new ConnectionReset("injected connection reset"));
    }
    if (answer instanceof FaultDecision.Hang) {
      // Never completed: the proxy ends the exchange as abandoned when the caller hangs up.
      return Promise.<ProviderResponse>promise().future();
    }
    Future<ProviderResponse> response = chain.proceed(exchange);
    return plan.responseChanges().isEmpty() ? response : response.map(r -> change(r, plan, exchange));
  }

  private ProviderResponse change(ProviderResponse response, FaultPlan plan, Exchange exchange) {
    ProviderResponse changed = response;
    for (FaultDecision decision : plan.responseChanges()) {
      try {
        changed = decision instanceof FaultDecision.Wrap wrap ? wrap.wrapper().wrap(changed)
            : EventRewriter.rewrite(vertx, changed, ((FaultDecision.Events) decision).fault(),
                error -> LOG.error("A stream fault failed on request {}; the rest of the stream passes untouched",
                    exchange.requestId(), error));
      } catch (RuntimeException | LinkageError e) {
        LOG.error("A response fault failed on request {}; served without it", exchange.requestId(), e);
      }
    }
    return changed;
  }
}
