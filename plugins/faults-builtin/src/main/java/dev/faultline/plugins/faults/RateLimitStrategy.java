package dev.faultline.plugins.faults;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Dialect;
import dev.faultline.plugin.api.Fault;
import dev.faultline.plugin.api.FaultContext;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.FaultParamException;
import dev.faultline.plugin.api.FaultParams;
import dev.faultline.plugin.api.FaultRequest;
import dev.faultline.plugin.api.FaultStrategy;
import dev.faultline.plugin.api.RateLimit;
import java.util.List;
import org.pf4j.Extension;

/**
 * A real rate limiter in front of the provider, as OpenAI runs one: a requests-per-minute and a
 * tokens-per-minute bucket per proxy. Every response carries the rate-limit counters of the
 * request's API (OpenAI's six {@code x-ratelimit-*}, Anthropic's {@code anthropic-ratelimit-*});
 * over a limit the caller gets that API's 429 with its retry headers (for OpenAI
 * {@code retry-after} in whole seconds, rounded up, and {@code retry-after-ms}, the exact wait,
 * which OpenAI's SDKs read first). A refused request takes nothing from either bucket. A limit set to 0 is not enforced,
 * but its counters still go out, at OpenAI's highest tier for gpt-4o-mini, so a client that reads
 * them finds them all.
 */
@Extension
public class RateLimitStrategy implements FaultStrategy {

  static final String REQUESTS_PER_MINUTE = "requests_per_minute";
  static final String TOKENS_PER_MINUTE = "tokens_per_minute";
  /** What an unenforced limit reports: OpenAI's tier 5 for gpt-4o-mini. */
  static final long UNENFORCED_REQUESTS = 30_000;
  static final long UNENFORCED_TOKENS = 150_000_000;

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
    private TokenBucket requests;
    private TokenBucket tokens;

    Limiter(long requestsPerMinute, long tokensPerMinute) {
      this.requestsPerMinute = requestsPerMinute;
      this.tokensPerMinute = tokensPerMinute;
    }

    @Override
    public synchronized FaultDecision decide(FaultRequest request) {
      long now = request.clock().millis();
      long cost = request.estimatedTokens();
      if (requests == null) {
        requests = new TokenBucket(requestsPerMinute > 0 ? requestsPerMinute : UNENFORCED_REQUESTS, now);
        tokens = new TokenBucket(tokensPerMinute > 0 ? tokensPerMinute : UNENFORCED_TOKENS, now);
      }
      requests.refill(now);
      tokens.refill(now);
      String model = request.model() == null ? "gpt-4o-mini" : request.model();
      Dialect dialect = request.dialect();
      if (requestsPerMinute > 0 && !requests.has(1)) {
        return refuse(dialect, limit(request, model, RateLimit.Refusal.REQUESTS, 1, requests.millisUntil(1), true));
      }
      if (tokensPerMinute > 0 && cost > tokens.limit()) {
        return refuse(dialect, limit(request, model, RateLimit.Refusal.TOO_LARGE, cost, 0, false));
      }
      if (tokensPerMinute > 0 && !tokens.has(cost)) {
        return refuse(dialect, limit(request, model, RateLimit.Refusal.TOKENS, cost, tokens.millisUntil(cost), true));
      }
      requests.take(1);
      tokens.take(cost);
      return FaultDecision.pass(dialect.rateLimitHeaders(limit(request, model, RateLimit.Refusal.NONE, 0, 0, false)));
    }

    private static FaultDecision refuse(Dialect dialect, RateLimit limit) {
      ApiError error = dialect.rateLimited(limit);
      return FaultDecision.error(new ApiError(error.status(), error.type(), error.code(), error.message(),
          error.param(), dialect.rateLimitHeaders(limit)));
    }

    /** Where the buckets stand now; {@code retry} adds the retry headers. */
    private RateLimit limit(FaultRequest request, String model, RateLimit.Refusal refused, long requested,
                            long waitMillis, boolean retry) {
      return new RateLimit(model, refused, requests.limit(), requests.remaining(), requests.millisUntilFull(),
          tokens.limit(), tokens.remaining(), tokens.millisUntilFull(), requested, waitMillis, retry,
          request.clock().instant());
    }
  }
}
