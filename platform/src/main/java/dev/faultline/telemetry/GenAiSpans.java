package dev.faultline.telemetry;

import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.plugin.api.ProxyRequest;
import dev.faultline.plugin.api.Usage;
import dev.faultline.proxy.request.Exchange;
import dev.faultline.proxy.request.ExchangeListener;
import dev.faultline.proxy.request.Interceptor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One span per proxied call, in the GenAI semantic conventions. It is begun just before the
 * provider call (so the upstream request can carry it as its {@code traceparent}) or, for a call
 * that never went upstream (a cache hit, an injected fault, a refusal), when the exchange ends;
 * either way it starts when the request came in and ends when the exchange does, a child of the
 * caller's {@code traceparent} when there is one. It holds no header, body or query string.
 */
final class GenAiSpans implements ExchangeListener, Interceptor {

  private static final String SCOPE = "dev.faultline";
  private static final TextMapGetter<MultiMap> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(MultiMap carrier) {
      return carrier.names();
    }

    @Override
    public String get(MultiMap carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  /** Spans begun before the provider call, until their exchange ends; exchanges compare by identity. */
  private final Map<Exchange, Span> open = new ConcurrentHashMap<>();
  private final Map<Exchange, ResponseFacts> facts = new ConcurrentHashMap<>();

  GenAiSpans(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer(SCOPE);
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  /** Begins the span and hands its context to the upstream in place of the caller's. */
  @Override
  public Future<ProviderResponse> intercept(Exchange exchange, Chain chain) {
    Span span = open.computeIfAbsent(exchange, this::begin);
    propagator.inject(Context.root().with(span), exchange, (carrier, name, value) -> carrier.forwardHeader(name, value));
    return chain.proceed(exchange);
  }

  @Override
  public BodyObserver observe(Exchange exchange) {
    ResponseFacts observer = new ResponseFacts(exchange.provider(), exchange.knownRequest(),
        exchange.http().response().headers().get("content-type"));
    facts.put(exchange, observer);
    return observer;
  }

  @Override
  public void finished(Exchange exchange) {
    Span span = open.remove(exchange);
    ResponseFacts response = facts.remove(exchange);
    if (span == null) {
      span = begin(exchange);
    }
    describe(span, exchange, response);
    span.end();
  }

  private Span begin(Exchange exchange) {
    ProxyRequest request = exchange.request() != null || !exchange.requestLineRead() ? exchange.request()
        : exchange.knownRequest();
    String operation = GenAi.operation(request != null ? request.path()
        : exchange.requestLineRead() ? exchange.http().path() : null);
    String model = request != null ? request.model() : null;
    Context parent = exchange.requestLineRead()
        ? propagator.extract(Context.root(), exchange.http().headers(), HEADERS) : Context.root();
    SpanBuilder builder = tracer.spanBuilder(model == null ? operation : operation + " " + model)
        .setParent(parent)
        .setSpanKind(SpanKind.CLIENT)
        .setStartTimestamp(exchange.startMillis(), TimeUnit.MILLISECONDS)
        .setAttribute(GenAi.OPERATION, operation)
        .setAttribute(GenAi.PROVIDER, exchange.provider().id())
        .setAttribute(GenAi.PROXY_ID, exchange.proxy().id())
        .setAttribute(GenAi.REQUEST_ID, exchange.requestId());
    if (exchange.proxy().name() != null) {
      builder.setAttribute(GenAi.PROXY_NAME, exchange.proxy().name());
    }
    if (model != null) {
      builder.setAttribute(GenAi.REQUEST_MODEL, model);
    }
    return builder.startSpan();
  }

  /** What the exchange came to: answer, usage, cache, fault, error. */
  private static void describe(Span span, Exchange exchange, ResponseFacts response) {
    int status = exchange.status();
    span.setAttribute(GenAi.HTTP_STATUS, (long) status);
    span.setAttribute(GenAi.OUTCOME, exchange.outcome().name().toLowerCase(Locale.ROOT));
    if (exchange.cacheStatus() != null) {
      span.setAttribute(GenAi.CACHE_RESULT, exchange.cacheStatus());
    }
    if (exchange.fault() != null) {
      span.setAttribute(GenAi.FAULT_APPLIED, exchange.fault());
    }
    if (response != null) {
      if (response.model() != null) {
        span.setAttribute(GenAi.RESPONSE_MODEL, response.model());
      }
      List<String> reasons = response.finishReasons();
      if (!reasons.isEmpty()) {
        span.setAttribute(GenAi.FINISH_REASONS, reasons);
      }
    }
    Usage usage = exchange.usage() != null ? exchange.usage() : response != null ? response.usage() : null;
    if (usage != null) {
      span.setAttribute(GenAi.INPUT_TOKENS, usage.promptTokens());
      span.setAttribute(GenAi.OUTPUT_TOKENS, usage.completionTokens());
    }
    String error = errorType(exchange);
    if (error != null) {
      span.setAttribute(GenAi.ERROR_TYPE, error);
      span.setStatus(StatusCode.ERROR);
    }
  }

  /**
   * The conventions' {@code error.type}: the error Faultline or the upstream named (a fault's
   * {@code rate_limit_exceeded}, {@code upstream_timeout}…), else the status code of an error
   * answer, else how a broken exchange ended.
   */
  private static String errorType(Exchange exchange) {
    if (exchange.errorType() != null) {
      return exchange.errorType();
    }
    if (exchange.status() >= 400) {
      return Integer.toString(exchange.status());
    }
    return switch (exchange.outcome()) {
      case BROKEN, RESET -> exchange.outcome().name().toLowerCase(Locale.ROOT);
      default -> null;
    };
  }
}
