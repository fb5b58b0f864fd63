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
import io.vertx.core.Future;
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
    long requestsPerMinute = params.getLong(REQUESTS_PER_MINUTE);
    long tokensPerMinute = params.getLong(TOKENS_PER_MINUTE);
    if (context != null && context.clustered()) {
      return new ClusterLimiter(requestsPerMinute, tokensPerMinute,
          new SharedBucket(context.counter("requests"), requestsPerMinute > 0 ? requestsPerMinute : UNENFORCED_REQUESTS),
          new SharedBucket(context.counter("tokens"), tokensPerMinute > 0 ? tokensPerMinute : UNENFORCED_TOKENS));
    }
    return new Limiter(requestsPerMinute, tokensPerMinute);
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

    /** Where the buckets stand now; {@code retry} adds the retry headers. */
    private RateLimit limit(FaultRequest request, String model, RateLimit.Refusal refused, long requested,
                            long waitMillis, boolean retry) {
      return RateLimitStrategy.limit(request, model, refused, requested, waitMillis, retry, requests, tokens);
    }
  }

  static FaultDecision refuse(Dialect dialect, RateLimit limit) {
    ApiError error = dialect.rateLimited(limit);
    return FaultDecision.error(new ApiError(error.status(), error.type(), error.code(), error.message(),
        error.param(), dialect.rateLimitHeaders(limit)));
  }

  /** What the buckets say, {@code retry} adding the retry headers. */
  static RateLimit limit(FaultRequest request, String model, RateLimit.Refusal refused, long requested,
                         long waitMillis, boolean retry, TokenBucket requests, TokenBucket tokens) {
    return new RateLimit(model, refused, requests.limit(), requests.remaining(), requests.millisUntilFull(),
        tokens.limit(), tokens.remaining(), tokens.millisUntilFull(), requested, waitMillis, retry,
        request.clock().instant());
  }

  /**
   * One proxy's buckets on a cluster: shared by every node ({@link SharedBucket}), so 60 requests
   * a minute are 60 for the whole cluster, not 60 per node. Decides the same as {@link Limiter},
   * in {@link #decideAsync}. A request the token limit refuses gives its request back.
   */
  static final class ClusterLimiter implements Fault {
    private final long requestsPerMinute;
    private final long tokensPerMinute;
    private final SharedBucket requests;
    private final SharedBucket tokens;

    ClusterLimiter(long requestsPerMinute, long tokensPerMinute, SharedBucket requests, SharedBucket tokens) {
      this.requestsPerMinute = requestsPerMinute;
      this.tokensPerMinute = tokensPerMinute;
      this.requests = requests;
      this.tokens = tokens;
    }

    @Override
    public FaultDecision decide(FaultRequest request) {
      throw new UnsupportedOperationException("a cluster's rate limit decides in decideAsync");
    }

    @Override
    public Future<FaultDecision> decideAsync(FaultRequest request) {
      long now = request.clock().millis();
      long cost = request.estimatedTokens();
      String model = request.model() == null ? "gpt-4o-mini" : request.model();
      Dialect dialect = request.dialect();
      return requests.take(1, now, requestsPerMinute > 0).compose(byRequests -> {
        TokenBucket requestBucket = byRequests.bucket();
        if (!byRequests.taken()) {
          return tokens.peek(now).map(tokenBucket -> refuse(dialect, limit(request, model, RateLimit.Refusal.REQUESTS,
              1, requestBucket.millisUntil(1), true, requestBucket, tokenBucket)));
        }
        if (tokensPerMinute > 0 && cost > tokens.limit()) {
          return requests.giveBack(1).compose(v -> tokens.peek(now)).map(tokenBucket -> refuse(dialect,
              limit(request, model, RateLimit.Refusal.TOO_LARGE, cost, 0, false, requestBucket, tokenBucket)));
        }
        return tokens.take(cost, now, tokensPerMinute > 0).compose(byTokens -> {
          TokenBucket tokenBucket = byTokens.bucket();
          if (!byTokens.taken()) {
            return requests.giveBack(1).map(v -> refuse(dialect, limit(request, model, RateLimit.Refusal.TOKENS, cost,
                tokenBucket.millisUntil(cost), true, requestBucket, tokenBucket)));
          }
          return Future.succeededFuture(FaultDecision.pass(dialect.rateLimitHeaders(
              limit(request, model, RateLimit.Refusal.NONE, 0, 0, false, requestBucket, tokenBucket))));
        });
      });
    }
  }
}
