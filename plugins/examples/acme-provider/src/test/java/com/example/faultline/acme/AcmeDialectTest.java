package com.example.faultline.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.plugin.api.RateLimit;
import dev.faultline.plugin.api.SseEvent;
import dev.faultline.plugin.api.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Acme's way of failing, as each built-in fault will ask for it. */
class AcmeDialectTest {

  private final AcmeDialect dialect = AcmeDialect.INSTANCE;

  @Test
  void errorsAreAcmesBodyWithTheTraceId() {
    ProviderResponse response = dialect.errorResponse(dialect.error(503, null, null), "req_1");

    assertEquals(503, response.status());
    assertEquals("application/json", response.headers().get("content-type").orElseThrow());
    assertEquals(new JsonObject().put("failure", new JsonObject().put("status", 503).put("kind", "unavailable")
        .put("detail", "Acme is under maintenance.")).put("trace_id", "req_1"), body(response).toJsonObject());
  }

  @Test
  void errorTypesFollowTheStatus() {
    assertEquals("quota_exceeded", dialect.errorType(429));
    assertEquals("not_found", dialect.errorType(404));
    assertEquals("bad_request", dialect.errorType(422));
    assertEquals("internal", dialect.errorType(500));
    assertEquals("No such model: acme-2.", dialect.error(404, null, "acme-2").message());
  }

  @Test
  void aRefusedRequestGetsQuotaHeadersAndAWholeSecondRetryAfter() {
    RateLimit limit = new RateLimit("acme-1", RateLimit.Refusal.REQUESTS, 60, 0, 1_500, 0, 0, 0, 1, 1_200, true,
        Instant.EPOCH);

    ApiError refused = dialect.rateLimited(limit);
    Headers headers = dialect.rateLimitHeaders(limit);

    assertEquals(429, refused.status());
    assertEquals("Quota of 60 requests per minute used up.", refused.message());
    assertEquals("2", headers.get("retry-after").orElseThrow());
    assertEquals("60", headers.get("acme-quota-limit").orElseThrow());
    assertEquals("0", headers.get("acme-quota-remaining").orElseThrow());
    assertEquals("2", headers.get("acme-quota-reset").orElseThrow());
  }

  @Test
  void aStreamFailsWithAFailureEventAndEndsWithDone() {
    List<SseEvent> events = dialect.streamFailure(dialect.error(500, null, null)).events();

    assertEquals(1, events.size());
    assertEquals("failure", events.get(0).event());
    assertEquals("internal", events.get(0).json().getJsonObject("failure").getString("kind"));
    assertTrue(dialect.endsStream(new SseEvent("done", "{}", null)));
    assertFalse(dialect.endsStream(new SseEvent("token", "{\"text\":\"hi\"}", null)));
    assertFalse(dialect.endsStream(SseEvent.of("[DONE]")), "OpenAI's end is not Acme's");
  }

  @Test
  void usageIsReadFromTheUnits() {
    JsonObject done = new JsonObject().put("usage", new JsonObject().put("input_units", 3).put("output_units", 5));
    assertEquals(new Usage(3, 5, 8, 0), dialect.usage(done).orElseThrow());
    assertTrue(dialect.usage(new JsonObject().put("text", "hi")).isEmpty());
  }

  static Buffer body(ProviderResponse response) {
    Buffer body = Buffer.buffer();
    response.body().handler(body::appendBuffer);
    return body;
  }
}
