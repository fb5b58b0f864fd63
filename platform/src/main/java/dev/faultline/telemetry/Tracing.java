package dev.faultline.telemetry;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;

/** The OpenTelemetry SDK Faultline sends its spans with: W3C trace context, batched OTLP over HTTP. */
final class Tracing {

  private static final String TRACES_PATH = "/v1/traces";

  private Tracing() {
  }

  /**
   * An SDK exporting to {@code endpoint}, the collector's base URL as
   * {@code OTEL_EXPORTER_OTLP_ENDPOINT} takes it ({@code /v1/traces} is added unless present).
   */
  static OpenTelemetrySdk otlp(String endpoint, String serviceName) {
    String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(base.endsWith(TRACES_PATH) ? base : base + TRACES_PATH)
        .build();
    Resource resource = Resource.getDefault().merge(
        Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName)));
    SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
        .setResource(resource)
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
        .build();
    return OpenTelemetrySdk.builder()
        .setTracerProvider(tracerProvider)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
  }
}
