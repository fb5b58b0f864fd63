package dev.faultline.plugins.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Headers;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ErrorTranslationTest {

  @Test
  void eachAnthropicErrorTypeGetsOpenAisStatusTypeAndCode() {
    assertOpenAi(400, "invalid_request_error", null, 400, "invalid_request_error");
    assertOpenAi(401, "invalid_request_error", "invalid_api_key", 401, "authentication_error");
    assertOpenAi(403, "invalid_request_error", "permission_denied", 403, "permission_error");
    assertOpenAi(404, "invalid_request_error", "model_not_found", 404, "not_found_error");
    assertOpenAi(413, "invalid_request_error", "request_too_large", 413, "request_too_large");
    assertOpenAi(429, "tokens", "rate_limit_exceeded", 429, "rate_limit_error");
    assertOpenAi(500, "server_error", null, 500, "api_error");
    assertOpenAi(503, "server_error", "overloaded", 529, "overloaded_error");
  }

  @Test
  void aBodyThatIsNotAnthropicsIsDescribed() {
    AnthropicError error = AnthropicError.parse(502, Buffer.buffer("<html>Bad gateway</html>"));
    ApiError openAi = ErrorTranslation.toOpenAi(502, error, Headers.empty());
    assertEquals(502, openAi.status());
    assertEquals("server_error", openAi.type());
    assertEquals("Anthropic answered HTTP 502: <html>Bad gateway</html>", openAi.message());
  }

  @Test
  void rateLimitResetsBecomeOpenAiDurations() {
    Instant now = Instant.parse("2025-08-20T10:00:00Z");
    assertEquals("30s", ResponseHeaders.untilReset("2025-08-20T10:00:30Z", now));
    assertEquals("6m0s", ResponseHeaders.untilReset("2025-08-20T10:06:00Z", now));
    assertEquals("250ms", ResponseHeaders.untilReset("2025-08-20T10:00:00.250Z", now));
    Headers headers = ResponseHeaders.forOpenAi(Headers.of("anthropic-ratelimit-requests-limit", "50",
        "anthropic-ratelimit-requests-reset", "2025-08-20T10:00:30Z", "request-id", "req_1", "retry-after", "30",
        "x-secret", "no"), "application/json", now);
    assertEquals("50", headers.get("x-ratelimit-limit-requests").orElseThrow());
    assertEquals("30s", headers.get("x-ratelimit-reset-requests").orElseThrow());
    assertEquals("req_1", headers.get("x-request-id").orElseThrow());
    assertEquals("30", headers.get("retry-after").orElseThrow());
    assertEquals(false, headers.contains("x-secret"));
  }

  private static void assertOpenAi(int status, String type, String code, int anthropicStatus, String anthropicType) {
    String message = anthropicType.equals("rate_limit_error") ? "Number of input tokens has exceeded your per-minute "
        + "rate limit" : anthropicType.equals("not_found_error") ? "model: claude-nope" : "went wrong";
    AnthropicError error = AnthropicError.parse(anthropicStatus, Buffer.buffer("{\"type\":\"error\",\"error\":{\"type\":\""
        + anthropicType + "\",\"message\":\"" + message + "\"},\"request_id\":\"req_1\"}"));
    ApiError openAi = ErrorTranslation.toOpenAi(anthropicStatus, error, Headers.empty());
    assertEquals(status, openAi.status(), anthropicType);
    assertEquals(type, openAi.type(), anthropicType);
    assertEquals(code, openAi.code(), anthropicType);
    assertEquals(message, openAi.message(), anthropicType);
  }
}
