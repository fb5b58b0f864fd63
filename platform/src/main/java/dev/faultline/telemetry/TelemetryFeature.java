package dev.faultline.telemetry;

import dev.faultline.feature.Feature;
import dev.faultline.proxy.request.ExchangeListener;
import dev.faultline.proxy.request.InterceptorFactory;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Traces: a span per proxied call in the GenAI semantic conventions (see {@link GenAiSpans}),
 * continuing the caller's {@code traceparent} and passing Faultline's own to the upstream. Only
 * wired when an OTLP endpoint is configured (or a test hands its own OpenTelemetry).
 */
public final class TelemetryFeature implements Feature {

  private static final long FLUSH_SECONDS = 5;

  private final GenAiSpans spans;
  /** The SDK this feature built and so closes; null for one its caller owns. */
  private final OpenTelemetrySdk owned;

  private TelemetryFeature(OpenTelemetry openTelemetry, OpenTelemetrySdk owned) {
    this.spans = new GenAiSpans(openTelemetry);
    this.owned = owned;
  }

  /** Exports over OTLP/HTTP to {@code endpoint}; flushed and closed when Faultline stops. */
  public static TelemetryFeature otlp(String endpoint, String serviceName) {
    OpenTelemetrySdk sdk = Tracing.otlp(endpoint, serviceName);
    return new TelemetryFeature(sdk, sdk);
  }

  /** Uses {@code openTelemetry} as it is (its propagators included); its owner closes it. */
  public static TelemetryFeature using(OpenTelemetry openTelemetry) {
    return new TelemetryFeature(openTelemetry, null);
  }

  /** Closest around the provider call: the upstream gets the span that covers its answer. */
  @Override
  public List<InterceptorFactory> responseSteps() {
    return List.of((proxy, provider) -> Optional.of(spans));
  }

  @Override
  public Optional<ExchangeListener> listener() {
    return Optional.of(spans);
  }

  /** Stopped after the proxies, so the last spans are sent before Faultline exits. */
  @Override
  public Future<Void> start(Deployer deployer) {
    return owned == null ? Future.succeededFuture() : deployer.deploy(new VerticleBase() {
      @Override
      public Future<?> stop() {
        // Sending what is left waits on the network: on a worker, bounded.
        return vertx.executeBlocking(() -> owned.shutdown().join(FLUSH_SECONDS, TimeUnit.SECONDS));
      }
    }).mapEmpty();
  }
}
