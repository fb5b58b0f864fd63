package dev.faultline.plugin.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a caller stands against a rate limiter, in neutral terms: a {@link Dialect} turns it into
 * the API's own 429 wording and rate-limit headers.
 *
 * @param model               the model the caller named (its limit), never {@code null}
 * @param refused             which limit refused the request, or {@link Refusal#NONE} when it passed
 * @param requestLimit        requests allowed per window
 * @param requestsRemaining   requests left now
 * @param requestsResetMillis milliseconds until the request bucket is full again
 * @param tokenLimit          tokens allowed per window
 * @param tokensRemaining     tokens left now
 * @param tokensResetMillis   milliseconds until the token bucket is full again
 * @param requested           what this request asked of the refusing limit (1 request, or its tokens)
 * @param waitMillis          how long a refused caller should wait (worded in the message)
 * @param retry               whether the answer carries retry headers ({@code retry-after}, …)
 * @param now                 the limiter's clock, for APIs that send resets as timestamps
 * @since 0.2.0
 */
public record RateLimit(String model, Refusal refused, long requestLimit, long requestsRemaining,
                        long requestsResetMillis, long tokenLimit, long tokensRemaining, long tokensResetMillis,
                        long requested, long waitMillis, boolean retry, Instant now) {

  /** Which limit said no. */
  public enum Refusal {
    /** None: the request passed, the counters only inform. */
    NONE,
    /** The requests-per-window limit ran out. */
    REQUESTS,
    /** The tokens-per-window limit ran out. */
    TOKENS,
    /** The request alone is larger than the whole token limit: waiting cannot help. */
    TOO_LARGE
  }

  public RateLimit {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(refused, "refused");
    Objects.requireNonNull(now, "now");
  }

  /** Requests used in the window, as a message words it. */
  public long requestsUsed() {
    return requestLimit - requestsRemaining;
  }

  /** Tokens used in the window. */
  public long tokensUsed() {
    return tokenLimit - tokensRemaining;
  }
}
