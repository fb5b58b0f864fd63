package dev.faultline.plugins.faults;

import dev.faultline.plugin.api.Headers;

/**
 * The rate-limit headers of an OpenAI response, in OpenAI's formats: all six
 * {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}} on every response (resets as Go
 * durations: {@code 6m0s}, {@code 1s}, {@code 20ms}) and, on a 429, {@code retry-after} in whole
 * seconds as HTTP defines it (rounded up, so a client never comes back early) beside
 * {@code retry-after-ms} with the exact wait, which OpenAI's SDKs prefer when both are there.
 */
final class RateLimitHeaders {

  private RateLimitHeaders() {
  }

  /** @param waitMillis how long a refused caller should wait; negative for no retry headers */
  static Headers of(long requestLimit, long requestsRemaining, long requestsResetMillis, long tokenLimit,
                    long tokensRemaining, long tokensResetMillis, long waitMillis) {
    Headers.Builder headers = Headers.builder();
    if (waitMillis >= 0) {
      headers.add("retry-after", String.valueOf(Math.max(1, (waitMillis + 999) / 1000)))
          .add("retry-after-ms", String.valueOf(waitMillis));
    }
    return headers
        .add("x-ratelimit-limit-requests", String.valueOf(requestLimit))
        .add("x-ratelimit-limit-tokens", String.valueOf(tokenLimit))
        .add("x-ratelimit-remaining-requests", String.valueOf(requestsRemaining))
        .add("x-ratelimit-remaining-tokens", String.valueOf(tokensRemaining))
        .add("x-ratelimit-reset-requests", GoDuration.format(requestsResetMillis))
        .add("x-ratelimit-reset-tokens", GoDuration.format(tokensResetMillis))
        .build();
  }
}
