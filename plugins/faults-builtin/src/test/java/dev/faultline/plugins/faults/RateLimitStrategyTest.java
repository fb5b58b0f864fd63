package dev.faultline.plugins.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Fault;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultParamException;
import dev.faultline.plugin.api.FaultRequest;
import dev.faultline.plugin.api.Headers;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The token-bucket limiter against a clock moved by hand: which requests it refuses, and the exact
 * countdowns in its {@code x-ratelimit-*} and {@code retry-after} headers.
 */
class RateLimitStrategyTest {

  private final RateLimitStrategy strategy = new RateLimitStrategy();
  private final ManualClock clock = new ManualClock();

  @Test
  void requestsPerMinuteAllowsABurstThenRefillsOneEveryInterval() {
    Fault limiter = limiter(new JsonObject().put("requests_per_minute", 3));

    assertPassed(limiter, "2", "20s");
    assertPassed(limiter, "1", "40s");
    assertPassed(limiter, "0", "1m0s");
    ApiError refused = assertRefused(limiter);
    assertEquals("requests", refused.type());
    assertEquals("rate_limit_exceeded", refused.code());
    assertEquals("Rate limit reached for gpt-4o-mini in organization org-faultline on requests per min (RPM): "
        + "Limit 3, Used 3, Requested 1. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits "
        + "to learn more.", refused.message());
    assertHeaders(refused.headers(), "20", "3", "0", "1m0s");

    clock.advance(12_500);
    ApiError later = assertRefused(limiter);
    assertEquals("8", later.headers().get("retry-after").orElseThrow(), "7.5 s left, rounded up");
    assertEquals("47.5s", later.headers().get("x-ratelimit-reset-requests").orElseThrow());
    assertTrue(later.message().contains("Please try again in 7.5s."), later.message());

    clock.advance(7_500);
    assertPassed(limiter, "0", "1m0s");
    assertRefused(limiter);
    clock.advance(60_000);
    assertPassed(limiter, "2", "20s");
  }

  @Test
  void tokensPerMinuteCountsThePromptEstimateAndRefusesWhatDoesNotFit() {
    Fault limiter = limiter(new JsonObject().put("requests_per_minute", 0).put("tokens_per_minute", 1000));

    FaultDecision first = limiter.decide(request(600));
    Headers passed = assertInstanceOf(FaultDecision.Pass.class, first).headers();
    assertEquals("1000", passed.get("x-ratelimit-limit-tokens").orElseThrow());
    assertEquals("400", passed.get("x-ratelimit-remaining-tokens").orElseThrow());
    assertEquals("36s", passed.get("x-ratelimit-reset-tokens").orElseThrow());
    assertEquals("30000", passed.get("x-ratelimit-limit-requests").orElseThrow(),
        "no request limit: OpenAI's highest tier is shown, never enforced");
    assertEquals("29999", passed.get("x-ratelimit-remaining-requests").orElseThrow());

    ApiError refused = assertInstanceOf(FaultDecision.Respond.class, limiter.decide(request(500))).error();
    assertEquals("tokens", refused.type());
    assertEquals("Rate limit reached for gpt-4o-mini in organization org-faultline on tokens per min (TPM): "
        + "Limit 1000, Used 600, Requested 500. Please try again in 6s. Visit https://platform.openai.com/account/"
        + "rate-limits to learn more.", refused.message());
    assertEquals("6", refused.headers().get("retry-after").orElseThrow());

    ApiError tooLarge = assertInstanceOf(FaultDecision.Respond.class, limiter.decide(request(5000))).error();
    assertTrue(tooLarge.message().startsWith("Request too large for gpt-4o-mini"), tooLarge.message());
    assertTrue(tooLarge.headers().get("retry-after").isEmpty(), "waiting cannot help");

    clock.advance(6_000);
    assertInstanceOf(FaultDecision.Pass.class, limiter.decide(request(500)));
  }

  @Test
  void everyAnswerCarriesAllSixCountersAndA429TheExactWaitBesideTheWholeSeconds() {
    Fault limiter = limiter(new JsonObject().put("requests_per_minute", 3));
    Headers passed = assertInstanceOf(FaultDecision.Pass.class, limiter.decide(request(10))).headers();
    assertSixCounters(passed);
    assertTrue(passed.get("retry-after-ms").isEmpty(), "no wait for a request let through");
    limiter.decide(request(10));
    limiter.decide(request(10));

    clock.advance(100);
    ApiError refused = assertRefused(limiter);
    assertSixCounters(refused.headers());
    assertEquals("19900", refused.headers().get("retry-after-ms").orElseThrow(), "the exact wait");
    assertEquals("20", refused.headers().get("retry-after").orElseThrow(), "HTTP's whole seconds, rounded up");
    assertEquals("150000000", refused.headers().get("x-ratelimit-limit-tokens").orElseThrow());
    assertEquals("150000000", refused.headers().get("x-ratelimit-remaining-tokens").orElseThrow(),
        "no token limit: 30 tokens used are back within the 100 ms");

    clock.advance(19_880);
    ApiError nearly = assertRefused(limiter);
    assertEquals("20ms", nearly.headers().get("retry-after-ms").map(ms -> ms + "ms").orElseThrow());
    assertEquals("1", nearly.headers().get("retry-after").orElseThrow(), "never 0: that would mean now");
  }

  @Test
  void aRefusedRequestTakesNothingFromEitherBucket() {
    Fault limiter = limiter(new JsonObject().put("requests_per_minute", 2).put("tokens_per_minute", 100));
    assertInstanceOf(FaultDecision.Pass.class, limiter.decide(request(90)));
    assertInstanceOf(FaultDecision.Respond.class, limiter.decide(request(90)));
    Headers after = assertInstanceOf(FaultDecision.Pass.class, limiter.decide(request(10))).headers();
    assertEquals("0", after.get("x-ratelimit-remaining-requests").orElseThrow(), "the refused one took no request");
    assertEquals("0", after.get("x-ratelimit-remaining-tokens").orElseThrow());
  }

  @Test
  void aRequestOfExactlyTheWholeTokenLimitFitsAFullBucketAndOneMoreIsTooLarge() {
    Fault limiter = limiter(new JsonObject().put("requests_per_minute", 0).put("tokens_per_minute", 100));
    Headers passed = assertInstanceOf(FaultDecision.Pass.class, limiter.decide(request(100))).headers();
    assertEquals("0", passed.get("x-ratelimit-remaining-tokens").orElseThrow());
    ApiError tooLarge = assertInstanceOf(FaultDecision.Respond.class,
        limiter(new JsonObject().put("requests_per_minute", 0).put("tokens_per_minute", 100)).decide(request(101)))
        .error();
    assertTrue(tooLarge.message().startsWith("Request too large for gpt-4o-mini"), tooLarge.message());
    assertTrue(tooLarge.headers().get("retry-after").isEmpty(), "waiting cannot help: no retry-after");
  }

  @Test
  void onlyARequestLimitLeavesTheTokensUnenforcedButReported() {
    Fault limiter = limiter(new JsonObject().put("requests_per_minute", 1));
    Headers passed = assertInstanceOf(FaultDecision.Pass.class, limiter.decide(request(200_000_000))).headers();
    assertSixCounters(passed);
    assertEquals("150000000", passed.get("x-ratelimit-limit-tokens").orElseThrow());
    ApiError refused = assertRefused(limiter);
    assertEquals("requests", refused.type(), "the request limit refused it, not the tokens");
    assertSixCounters(refused.headers());
  }

  @Test
  void noLimitAtAllIsRefusedNamingTheParameter() {
    FaultParamException error = assertThrows(FaultParamException.class, () -> StrategyParams.of(strategy,
        new JsonObject().put("requests_per_minute", 0).put("tokens_per_minute", 0)));
    assertEquals("requests_per_minute", error.param());
  }

  private Fault limiter(JsonObject params) {
    return strategy.create(StrategyParams.of(strategy, params), null);
  }

  private FaultRequest request(long tokens) {
    return FaultRequest.builder().model("gpt-4o-mini").estimatedTokens(tokens).clock(clock).build();
  }

  private void assertPassed(Fault limiter, String remaining, String reset) {
    FaultDecision decision = limiter.decide(request(10));
    Headers headers = assertInstanceOf(FaultDecision.Pass.class, decision, decision.toString()).headers();
    assertEquals(remaining, headers.get("x-ratelimit-remaining-requests").orElseThrow());
    assertEquals(reset, headers.get("x-ratelimit-reset-requests").orElseThrow());
    assertTrue(headers.get("retry-after").isEmpty());
  }

  private ApiError assertRefused(Fault limiter) {
    FaultDecision decision = limiter.decide(request(10));
    ApiError error = assertInstanceOf(FaultDecision.Respond.class, decision, decision.toString()).error();
    assertEquals(429, error.status());
    return error;
  }

  private static void assertSixCounters(Headers headers) {
    for (String name : new String[] {"limit", "remaining", "reset"}) {
      for (String kind : new String[] {"requests", "tokens"}) {
        assertTrue(headers.get("x-ratelimit-" + name + "-" + kind).isPresent(), "x-ratelimit-" + name + "-" + kind);
      }
    }
  }

  private static void assertHeaders(Headers headers, String retryAfter, String limit, String remaining, String reset) {
    assertEquals(retryAfter, headers.get("retry-after").orElseThrow());
    assertEquals(Long.parseLong(retryAfter) * 1000, Long.parseLong(headers.get("retry-after-ms").orElseThrow()));
    assertEquals(limit, headers.get("x-ratelimit-limit-requests").orElseThrow());
    assertEquals(remaining, headers.get("x-ratelimit-remaining-requests").orElseThrow());
    assertEquals(reset, headers.get("x-ratelimit-reset-requests").orElseThrow());
  }
}
