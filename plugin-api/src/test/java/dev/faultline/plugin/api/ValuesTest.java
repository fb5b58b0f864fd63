package dev.faultline.plugin.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The small immutable values plugins build and the host reads. */
class ValuesTest {

  @Test
  void apiErrorDefaultsAndRequiredFields() {
    ApiError invalid = ApiError.invalidRequest("bad model", "model_not_found", "model");
    assertEquals(new ApiError(400, "invalid_request_error", "model_not_found", "bad model", "model", Headers.empty()),
        invalid);
    ApiError gateway = ApiError.badGateway("upstream closed");
    assertEquals(502, gateway.status());
    assertEquals("server_error", gateway.type());
    assertEquals("upstream_unavailable", gateway.code());
    assertNull(gateway.param());
    assertSame(Headers.empty(), new ApiError(500, "server_error", null, "m", null, null).headers());
    assertThrows(NullPointerException.class, () -> new ApiError(500, null, null, "m", null, null));
    assertThrows(NullPointerException.class, () -> new ApiError(500, "t", null, null, null, null));
  }

  @Test
  void openAiErrorResponseHasExactlyFourFieldsAndTheErrorsHeaders() {
    ApiError error = new ApiError(429, "requests", "rate_limit_exceeded", "slow down", null,
        Headers.of("retry-after", "1"));
    assertEquals(new JsonObject().put("error", new JsonObject().put("message", "slow down").put("type", "requests")
        .putNull("param").put("code", "rate_limit_exceeded")), OpenAiFormat.errorBody(error));
    ProviderResponse response = OpenAiFormat.errorResponse(error);
    assertEquals(429, response.status());
    assertEquals(Optional.of("1"), response.headers().get("retry-after"));
    assertEquals(Optional.of("application/json"), response.headers().get("content-type"));
    assertFalse(response.eventStream());
  }

  @Test
  void usageIsReadFromOpenAiShapes() {
    JsonObject body = new JsonObject().put("usage", new JsonObject().put("prompt_tokens", 10)
        .put("completion_tokens", 5).put("prompt_tokens_details", new JsonObject().put("cached_tokens", 4)));
    assertEquals(Optional.of(new Usage(10, 5, 15, 4)), OpenAiFormat.usage(body), "total worked out when absent");
    assertEquals(Optional.of(new Usage(1, 2, 9, 0)), OpenAiFormat.usage(new JsonObject().put("usage",
        new JsonObject().put("prompt_tokens", 1).put("completion_tokens", 2).put("total_tokens", 9))));
    assertEquals(Optional.empty(), OpenAiFormat.usage(new JsonObject().putNull("usage")));
    assertEquals(Optional.empty(), OpenAiFormat.usage(null));
    assertEquals("data: {}\n\n", OpenAiFormat.sseEvent("{}").toString());
  }

  @Test
  void costIsAFiniteNonNegativeNumberOfDollars() {
    assertEquals(0.0, new Cost(0).usd());
    assertThrows(IllegalArgumentException.class, () -> new Cost(-0.01));
    assertThrows(IllegalArgumentException.class, () -> new Cost(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new Cost(Double.POSITIVE_INFINITY));
  }

  @Test
  void sseEventWireFormatDoneAndJson() {
    SseEvent event = new SseEvent("delta", "line one\nline two", "7");
    assertEquals("event: delta\nid: 7\ndata: line one\ndata: line two\n\n", event.toBuffer().toString());
    assertEquals("data: [DONE]\n\n", SseEvent.of("[DONE]").toBuffer().toString());
    assertTrue(SseEvent.of(" [DONE] ").isDone());
    assertFalse(SseEvent.of("{}").isDone());
    assertEquals(new JsonObject().put("a", 1), SseEvent.of(" {\"a\":1}").json());
    assertNull(SseEvent.of("{not json").json());
    assertNull(SseEvent.of("[1]").json(), "only an object is JSON here");
    assertThrows(NullPointerException.class, () -> new SseEvent(null, null, null));
  }

  @Test
  void proxyRequestPathStreamAndModel() {
    ProxyRequest request = new ProxyRequest("r", "POST", "/v1/chat/completions?x=1", Headers.empty(), null,
        new JsonObject().put("model", "gpt-4o").put("stream", true));
    assertEquals("/v1/chat/completions", request.path());
    assertTrue(request.stream());
    assertEquals("gpt-4o", request.model());
    assertEquals(0, request.body().length(), "no body is an empty one");
    ProxyRequest odd = new ProxyRequest("r", "GET", "/v1/models", Headers.empty(), Buffer.buffer(),
        new JsonObject().put("model", 3).put("stream", "true"));
    assertNull(odd.model(), "a model that is not a string is none");
    assertFalse(odd.stream(), "only the JSON true streams");
    assertEquals("/v1/models", odd.path());
  }

  @Test
  void faultDecisionsAndWhetherTheyTouchTheRequest() {
    assertFalse(FaultDecision.pass().touches());
    assertFalse(FaultDecision.pass(Headers.of("x-ratelimit-limit-requests", "10")).touches());
    assertTrue(FaultDecision.error(ApiError.badGateway("x")).touches());
    assertTrue(FaultDecision.hang().touches());
    assertTrue(FaultDecision.reset().touches());
    assertTrue(FaultDecision.events((e, i, t) -> EventAction.pass()).touches());
    assertTrue(FaultDecision.wrap(r -> r).touches());
    FaultDecision.Delay delay = assertInstanceOf(FaultDecision.Delay.class, FaultDecision.delay(Duration.ofMillis(5)));
    assertInstanceOf(FaultDecision.Pass.class, delay.then(), "a bare delay goes on afterwards");
    assertTrue(delay.touches());
    assertThrows(IllegalArgumentException.class, () -> FaultDecision.delay(Duration.ofMillis(-1)));
    assertThrows(NullPointerException.class, () -> FaultDecision.delay(Duration.ZERO, null));
    assertThrows(NullPointerException.class, () -> FaultDecision.error(null));
  }

  @Test
  void eventActionsCopyTheirEventsAndDelayLater() {
    List<SseEvent> events = new ArrayList<>(List.of(SseEvent.of("a")));
    EventAction replace = new EventAction(EventAction.Kind.REPLACE, events, null);
    events.add(SseEvent.of("b"));
    assertEquals(List.of(SseEvent.of("a")), replace.events(), "a copy, not a view");
    assertEquals(Duration.ZERO, replace.delay());

    EventAction later = EventAction.end(SseEvent.of("bye")).after(Duration.ofSeconds(1));
    assertEquals(EventAction.Kind.END, later.kind());
    assertEquals(List.of(SseEvent.of("bye")), later.events());
    assertEquals(Duration.ofSeconds(1), later.delay());
    assertEquals(List.of(), EventAction.pass().events());
    assertEquals(EventAction.Kind.DROP, EventAction.drop().kind());
    assertEquals(EventAction.Kind.CUT, EventAction.cut().kind());
    assertThrows(IllegalArgumentException.class, () -> EventAction.pass().after(Duration.ofMillis(-1)));
  }

  @Test
  void faultRequestLeavesCredentialsOutAndEstimatesOnce() {
    int[] calls = {0};
    FaultRequest request = FaultRequest.builder()
        .headers(Headers.of("Authorization", "Bearer sk-secret", "api-key", "k", "X-Api-Key", "k", "Cookie", "c",
            "proxy-authorization", "p", "x-trace", "t"))
        .estimatedTokens(() -> {
          calls[0]++;
          return -5;
        })
        .build();
    assertEquals(Headers.of("x-trace", "t").names(), request.headers().names());
    assertEquals(0, request.estimatedTokens(), "never negative");
    request.estimatedTokens();
    assertEquals(1, calls[0], "worked out once");
    assertEquals("POST", request.method());
    assertEquals("/v1/chat/completions", request.path());
  }

  @Test
  void providerOptionExceptionNamesTheField() {
    ProviderOptionException option = ProviderOptionException.option("max_connections", "must be positive");
    assertEquals("options.max_connections", option.field());
    assertEquals("must be positive", option.getMessage());
    assertEquals("upstream", ProviderOptionException.upstream("not a URL").field());
    assertInstanceOf(IllegalArgumentException.class, option, "hosts that know only IllegalArgumentException still refuse");
    assertThrows(IllegalArgumentException.class, () -> new ProviderOptionException(" ", "no field"));
  }

  @Test
  void providerResponseOfAKnownBody() {
    ProviderResponse sse = ProviderResponse.of(200, Headers.of("Content-Type", "Text/Event-Stream; charset=utf-8"),
        Buffer.buffer("data: x\n\n"));
    assertTrue(sse.eventStream());
    assertFalse(new ProviderResponse(200, Headers.empty(), new BufferStream()).eventStream());
    new ProviderResponse(200, Headers.empty(), new BufferStream()).cancel().run(); // no cancel given: a no-op
    assertThrows(NullPointerException.class, () -> new ProviderResponse(200, null, new BufferStream()));
    assertThrows(NullPointerException.class, () -> new ProviderResponse(200, Headers.empty(), null));
  }
}
