package dev.faultline.telemetry;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Faultline tracing into the OpenTelemetry SDK's in-memory exporter: one GenAI span per
 * proxied call, a faulted call's error and fault on it, and the caller's trace carried through to
 * a real upstream.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TracingTest {

  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_TRACEPARENT = "00-" + CALLER_TRACE + "-00f067aa0ba902b7-01";
  private static final String API_KEY = "sk-secret-never-traced";

  @TempDir
  Path dataDir;

  private InMemorySpanExporter spans;
  private OpenTelemetrySdk sdk;

  @BeforeEach
  void tracing() {
    spans = InMemorySpanExporter.create();
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
  }

  @AfterEach
  void close() {
    sdk.close();
  }

  @Test
  void aChatCallIsOneSpanWithTheGenAiAttributes(Vertx vertx) {
    Faultline faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir), sdk));
    try {
      WebClient client = FaultlineHarness.client(vertx);
      JsonObject proxy = await(FaultlineHarness.createProxy(client, faultline,
          new JsonObject().put("name", "traced-mock").put("provider", "mock")));
      HttpResponse<Buffer> answer = chat(client, proxy.getInteger("port"), null);
      assertEquals(200, answer.statusCode(), answer.bodyAsString());
      JsonObject body = answer.bodyAsJsonObject();

      SpanData span = onlySpan();
      assertEquals(SpanKind.CLIENT, span.getKind());
      assertEquals("chat gpt-4o-mini", span.getName());
      assertEquals("chat", attr(span, "gen_ai.operation.name"));
      assertEquals("mock", attr(span, "gen_ai.provider.name"));
      assertEquals("gpt-4o-mini", attr(span, "gen_ai.request.model"));
      assertEquals(body.getString("model"), attr(span, "gen_ai.response.model"));
      JsonObject usage = body.getJsonObject("usage");
      assertEquals(usage.getLong("prompt_tokens"), span.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")));
      assertEquals(usage.getLong("completion_tokens"),
          span.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")));
      assertEquals(List.of(body.getJsonArray("choices").getJsonObject(0).getString("finish_reason")),
          span.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")));
      assertEquals(proxy.getString("id"), attr(span, "faultline.proxy.id"));
      assertEquals("traced-mock", attr(span, "faultline.proxy.name"));
      assertNull(attr(span, "error.type"));
      assertNull(attr(span, "faultline.fault.applied"));
      assertNotEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
      assertFalse(span.getAttributes().toString().contains(API_KEY), "no API key in a span");
      assertFalse(span.getAttributes().toString().contains("\"hi\""), "no body in a span");
    } finally {
      await(faultline.stop());
    }
  }

  @Test
  void aFaultedCallCarriesItsErrorAndTheFault(Vertx vertx) {
    Faultline faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir), sdk));
    try {
      WebClient client = FaultlineHarness.client(vertx);
      JsonObject fault = new JsonObject().put("strategy", "http-error").put("rate", 1)
          .put("params", new JsonObject().put("status", 429));
      int port = await(FaultlineHarness.createProxy(client, faultline, new JsonObject().put("name", "faulted")
          .put("provider", "mock").put("faults", new JsonArray().add(fault)))).getInteger("port");
      HttpResponse<Buffer> answer = chat(client, port, null);
      assertEquals(429, answer.statusCode(), answer.bodyAsString());

      SpanData span = onlySpan();
      assertEquals("http-error", attr(span, "faultline.fault.applied"));
      assertNotNull(attr(span, "error.type"), span.getAttributes().toString());
      assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
      assertEquals(429L, span.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    } finally {
      await(faultline.stop());
    }
  }

  @Test
  void theCallersTraceIsContinuedAndPassedUpstream(Vertx vertx) {
    CompletableFuture<String> upstreamTraceparent = new CompletableFuture<>();
    HttpServer upstream = await(vertx.createHttpServer().requestHandler(request -> {
      upstreamTraceparent.complete(request.getHeader("traceparent"));
      request.response().putHeader("content-type", "application/json").end(new JsonObject()
          .put("id", "chatcmpl-up").put("object", "chat.completion").put("model", "gpt-4o-mini-2024-07-18")
          .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "length")
              .put("message", new JsonObject().put("role", "assistant").put("content", "Hel"))))
          .put("usage", new JsonObject().put("prompt_tokens", 7).put("completion_tokens", 3).put("total_tokens", 10))
          .encode());
    }).listen(0, "127.0.0.1"));
    Faultline faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir), sdk));
    try {
      WebClient client = FaultlineHarness.client(vertx);
      int port = await(FaultlineHarness.createProxy(client, faultline, new JsonObject().put("name", "traced-openai")
          .put("provider", "openai").put("upstream", "http://127.0.0.1:" + upstream.actualPort()))).getInteger("port");
      HttpResponse<Buffer> answer = chat(client, port, CALLER_TRACEPARENT);
      assertEquals(200, answer.statusCode(), answer.bodyAsString());

      SpanData span = onlySpan();
      assertEquals(CALLER_TRACE, span.getTraceId(), "the caller's trace is continued");
      assertEquals("00f067aa0ba902b7", span.getParentSpanId());
      assertEquals("00-" + CALLER_TRACE + "-" + span.getSpanId() + "-01", upstreamTraceparent.getNow(null),
          "the upstream is called within Faultline's span");
      assertEquals("openai", attr(span, "gen_ai.provider.name"));
      assertEquals("gpt-4o-mini-2024-07-18", attr(span, "gen_ai.response.model"));
      assertEquals(List.of("length"), span.getAttributes().get(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons")));
      assertEquals(7L, span.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")));
      assertEquals(3L, span.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")));
      assertEquals(200L, span.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    } finally {
      await(faultline.stop());
      await(upstream.close());
    }
  }

  private static HttpResponse<Buffer> chat(WebClient client, int port, String traceparent) {
    var request = client.post(port, "127.0.0.1", "/v1/chat/completions")
        .putHeader("authorization", "Bearer " + API_KEY).putHeader("content-type", "application/json");
    if (traceparent != null) {
      request.putHeader("traceparent", traceparent);
    }
    return await(request.sendBuffer(Buffer.buffer(CHAT)));
  }

  /** The span ends once the exchange is over, which may be just after the caller has its answer. */
  private SpanData onlySpan() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (spans.getFinishedSpanItems().isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for the span", e);
      }
    }
    List<SpanData> finished = spans.getFinishedSpanItems();
    assertEquals(1, finished.size(), "one span per proxied call: " + finished);
    return finished.get(0);
  }

  private static String attr(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.stringKey(key));
  }
}
