package dev.faultline.plugins.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultRequest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The errors http-error answers with, status by status, and the headers that go with them. */
class HttpErrorStrategyTest {

  private final HttpErrorStrategy strategy = new HttpErrorStrategy();

  @Test
  void withoutParamsItIsOpenAisPlain500() {
    ApiError error = error(new JsonObject(), "gpt-4o");
    assertEquals(500, error.status());
    assertEquals("server_error", error.type());
    assertNull(error.code());
    assertEquals("The server had an error while processing your request. Sorry about that!", error.message());
    assertEquals(0, error.headers().size(), "no retry-after on a 500 unless asked");
  }

  @Test
  void a429IsARequestsLimitWithItsSixCountersAndAOneSecondRetry() {
    ApiError error = error(new JsonObject().put("status", 429), "gpt-4o");
    assertEquals("rate_limit_exceeded", error.code());
    assertEquals("requests", error.type());
    assertEquals("Rate limit reached for gpt-4o in organization org-faultline on requests per min (RPM): Limit 60, "
        + "Used 60, Requested 1. Please try again in 1s. Visit https://platform.openai.com/account/rate-limits to "
        + "learn more.", error.message());
    assertEquals("1", error.headers().get("retry-after").orElseThrow());
    assertEquals("1000", error.headers().get("retry-after-ms").orElseThrow());
    assertEquals("60", error.headers().get("x-ratelimit-limit-requests").orElseThrow());
    assertEquals("0", error.headers().get("x-ratelimit-remaining-requests").orElseThrow());
    assertEquals("1s", error.headers().get("x-ratelimit-reset-requests").orElseThrow());
    assertEquals("150000000", error.headers().get("x-ratelimit-limit-tokens").orElseThrow(),
        "no token limit ran out: the tokens show untouched");
    assertEquals("150000000", error.headers().get("x-ratelimit-remaining-tokens").orElseThrow());
    assertEquals("0s", error.headers().get("x-ratelimit-reset-tokens").orElseThrow());
  }

  @Test
  void aLongerRetryAfterIsInTheMessageAndBothHeaders() {
    ApiError error = error(new JsonObject().put("status", 429).put("retry_after", 20), null);
    assertTrue(error.message().startsWith("Rate limit reached for gpt-4o-mini "), error.message());
    assertTrue(error.message().contains("Please try again in 20s."), error.message());
    assertEquals("20", error.headers().get("retry-after").orElseThrow());
    assertEquals("20000", error.headers().get("retry-after-ms").orElseThrow());
    assertEquals("20s", error.headers().get("x-ratelimit-reset-requests").orElseThrow());
  }

  @Test
  void a429WithRetryAfterZeroHasCountersButNoRetryHeaders() {
    ApiError error = error(new JsonObject().put("status", 429).put("retry_after", 0), "gpt-4o");
    assertTrue(error.headers().get("retry-after").isEmpty());
    assertTrue(error.headers().get("retry-after-ms").isEmpty());
    assertEquals("60", error.headers().get("x-ratelimit-limit-requests").orElseThrow());
  }

  @Test
  void insufficientQuotaIsTheOutOfQuota429WithoutRateLimitHeaders() {
    ApiError error = error(new JsonObject().put("status", 429).put("code", "insufficient_quota"), "gpt-4o");
    assertEquals(429, error.status());
    assertEquals("insufficient_quota", error.type());
    assertEquals("insufficient_quota", error.code());
    assertTrue(error.message().startsWith("You exceeded your current quota"), error.message());
    assertEquals(0, error.headers().size());
  }

  @Test
  void anyOtherStatusCarriesRetryHeadersOnlyWhenAsked() {
    ApiError error = error(new JsonObject().put("status", 503).put("retry_after", 3), "gpt-4o");
    assertEquals("The server is overloaded or not ready yet.", error.message());
    assertEquals("3", error.headers().get("retry-after").orElseThrow());
    assertEquals("3000", error.headers().get("retry-after-ms").orElseThrow());
    assertTrue(error.headers().get("x-ratelimit-limit-requests").isEmpty());
  }

  @Test
  void presetsNameTheModelAndStatusesWithoutWordingGetAGenericOne() {
    assertEquals("The model `gpt-4o` does not exist or you do not have access to it.",
        error(new JsonObject().put("status", 404), "gpt-4o").message());
    assertEquals("The model `gpt-4o-mini` does not exist or you do not have access to it.",
        error(new JsonObject().put("status", 404), null).message());
    assertEquals("context_length_exceeded", error(new JsonObject().put("status", 400), "m").code());
    assertEquals("messages", error(new JsonObject().put("status", 400), "m").param());
    assertEquals("invalid_api_key", error(new JsonObject().put("status", 401), "m").code());
    assertEquals("unsupported_country_region_territory", error(new JsonObject().put("status", 403), "m").code());
    assertEquals("Bad gateway.", error(new JsonObject().put("status", 502), "m").message());
    assertEquals("timeout", error(new JsonObject().put("status", 504), "m").code());
    assertEquals("overloaded_error", error(new JsonObject().put("status", 529), "m").type());
    ApiError teapot = error(new JsonObject().put("status", 418), "m");
    assertEquals("invalid_request_error", teapot.type());
    assertEquals("Simulated HTTP 418 error.", teapot.message());
    assertEquals("server_error", error(new JsonObject().put("status", 507), "m").type());
    assertEquals("invalid_request_error", error(new JsonObject().put("status", 499), "m").type());
    assertEquals("server_error", error(new JsonObject().put("status", 500), "m").type());
  }

  @Test
  void codeTypeAndMessageReplaceThePresetsOnes() {
    ApiError error = error(new JsonObject().put("status", 500).put("code", "c").put("type", "t").put("message", "m"),
        "gpt-4o");
    assertEquals(500, error.status());
    assertEquals("c", error.code());
    assertEquals("t", error.type());
    assertEquals("m", error.message());
  }

  @Test
  void itAnswersEveryRequestStreamedOrNot() {
    var fault = Strategies.fault(strategy, new JsonObject().put("status", 502));
    assertEquals(502, assertInstanceOf(FaultDecision.Respond.class, fault.decide(Strategies.streaming())).error()
        .status());
    assertEquals(502, assertInstanceOf(FaultDecision.Respond.class, fault.decide(Strategies.plain())).error()
        .status());
  }

  private ApiError error(JsonObject params, String model) {
    FaultDecision decision = Strategies.fault(strategy, params).decide(FaultRequest.builder().model(model).build());
    return assertInstanceOf(FaultDecision.Respond.class, decision, decision.toString()).error();
  }
}
