package dev.faultline.plugins.faults;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Fault;
import dev.faultline.plugin.api.FaultContext;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.FaultParamException;
import dev.faultline.plugin.api.FaultParams;
import dev.faultline.plugin.api.FaultRequest;
import dev.faultline.plugin.api.FaultStrategy;
import dev.faultline.plugin.api.Headers;
import java.util.List;
import org.pf4j.Extension;

/**
 * A real rate limiter in front of the provider, as OpenAI runs one: a requests-per-minute and a
 * tokens-per-minute bucket per proxy. Every response carries the {@code x-ratelimit-*} counters;
 * over a limit the caller gets OpenAI's 429 with {@code retry-after} and the time the bucket
 * needs. A refused request takes nothing from either bucket.
 */
@Extension
public class RateLimitStrategy implements FaultStrategy {

  static final String REQUESTS_PER_MINUTE = "requests_per_minute";
  static final String TOKENS_PER_MINUTE = "tokens_per_minute";

  @Override
  public String id() {
    return "rate-limit";
  }

  @Override
  public String description() {
    return "Token-bucket limiter on requests and tokens per minute, with OpenAI's 429 and x-ratelimit-* headers";
  }

  @Override
  public List<FaultParam> params() {
    return List.of(
        FaultParam.integer(REQUESTS_PER_MINUTE, "requests allowed per minute (0: no request limit)")
            .withDefault(60).withRange(0, 1_000_000_000),
        FaultParam.integer(TOKENS_PER_MINUTE, "tokens allowed per minute, prompt estimate plus max_tokens "
            + "(0: no token limit)").withDefault(0).withRange(0, 1_000_000_000_000L));
  }

  @Override
  public void validate(FaultParams params) {
    if (params.getLong(REQUESTS_PER_MINUTE) == 0 && params.getLong(TOKENS_PER_MINUTE) == 0) {
      throw new FaultParamException(REQUESTS_PER_MINUTE, "set requests_per_minute or tokens_per_minute above 0");
    }
  }

  @Override
  public Fault create(FaultParams params, FaultContext context) {
    return new Limiter(params.getLong(REQUESTS_PER_MINUTE), params.getLong(TOKENS_PER_MINUTE));
  }

  /** One proxy's buckets; created on first use so they start full at the request's clock. */
  static final class Limiter implements Fault {
    private final long requestsPerMinute;
    private final long tokensPerMinute;
    private boolean started;
    private TokenBucket requests;
    private TokenBucket tokens;

    Limiter(long requestsPerMinute, long tokensPerMinute) {
      this.requestsPerMinute = requestsPerMinute;
      this.tokensPerMinute = tokensPerMinute;
    }

    @Override
    public synchronized FaultDecision decide(FaultRequest request) {
      long now = request.clock().millis();
      long cost = tokensPerMinute > 0 ? request.estimatedTokens() : 0;
      if (!started) {
        started = true;
        requests = requestsPerMinute > 0 ? new TokenBucket(requestsPerMinute, now) : null;
        tokens = tokensPerMinute > 0 ? new TokenBucket(tokensPerMinute, now) : null;
      }
      if (requests != null) {
        requests.refill(now);
      }
      if (tokens != null) {
        tokens.refill(now);
      }
      String model = request.model() == null ? "gpt-4o-mini" : request.model();
      if (requests != null && !requests.has(1)) {
        long wait = requests.millisUntil(1);
        ApiError error = OpenAiErrors.requestsRateLimit(model, requests.limit(), requests.limit() - requests.remaining(),
            1, wait);
        return FaultDecision.error(OpenAiErrors.withHeaders(error, headers(wait)));
      }
      if (tokens != null && cost > tokens.limit()) {
        return FaultDecision.error(OpenAiErrors.withHeaders(
            OpenAiErrors.requestTooLarge(model, tokens.limit(), cost), headers(-1)));
      }
      if (tokens != null && !tokens.has(cost)) {
        long wait = tokens.millisUntil(cost);
        ApiError error = OpenAiErrors.tokensRateLimit(model, tokens.limit(), tokens.limit() - tokens.remaining(), cost,
            wait);
        return FaultDecision.error(OpenAiErrors.withHeaders(error, headers(wait)));
      }
      if (requests != null) {
        requests.take(1);
      }
      if (tokens != null) {
        tokens.take(cost);
      }
      return FaultDecision.pass(headers(-1));
    }

    /** The counters OpenAI sends on every response; with {@code retry-after} when {@code waitMillis >= 0}. */
    private Headers headers(long waitMillis) {
      Headers.Builder headers = Headers.builder();
      if (waitMillis >= 0) {
        headers.add("retry-after", String.valueOf(Math.max(1, (waitMillis + 999) / 1000)));
      }
      if (requests != null) {
        headers.add("x-ratelimit-limit-requests", String.valueOf(requests.limit()))
            .add("x-ratelimit-remaining-requests", String.valueOf(requests.remaining()))
            .add("x-ratelimit-reset-requests", GoDuration.format(requests.millisUntilFull()));
      }
      if (tokens != null) {
        headers.add("x-ratelimit-limit-tokens", String.valueOf(tokens.limit()))
            .add("x-ratelimit-remaining-tokens", String.valueOf(tokens.remaining()))
            .add("x-ratelimit-reset-tokens", GoDuration.format(tokens.millisUntilFull()));
      }
      return headers.build();
    }
  }
}
