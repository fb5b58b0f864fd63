package dev.faultline.plugin.api;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Headers;

/**
 * The errors OpenAI really sends, status by status: type, code, param and wording as its API
 * returns them, so a client's error handling meets what it will meet in production.
 */
final class OpenAiErrors {

  static final String DEFAULT_MODEL = "gpt-4o-mini";

  static final String ORGANIZATION = "org-faultline";
  static final String RATE_LIMITS_URL = "https://platform.openai.com/account/rate-limits";

  private OpenAiErrors() {
  }

  /**
   * The error OpenAI answers with {@code status} (and {@code code}, when a status has several),
   * for a request naming {@code model}. Statuses OpenAI has no wording for get a generic one.
   */
  static ApiError forStatus(int status, String code, String model) {
    String named = model == null ? "gpt-4o-mini" : model;
    return switch (status) {
      case 400 -> new ApiError(400, "invalid_request_error", "context_length_exceeded",
          "This model's maximum context length is 128000 tokens. However, your messages resulted in 130217 tokens. "
              + "Please reduce the length of the messages.", "messages", Headers.empty());
      case 401 -> new ApiError(401, "invalid_request_error", "invalid_api_key",
          "Incorrect API key provided: sk-proj-****************************fLtE. You can find your API key at "
              + "https://platform.openai.com/account/api-keys.", null, Headers.empty());
      case 403 -> new ApiError(403, "request_forbidden", "unsupported_country_region_territory",
          "Country, region, or territory not supported", null, Headers.empty());
      case 404 -> new ApiError(404, "invalid_request_error", "model_not_found",
          "The model `" + named + "` does not exist or you do not have access to it.", null, Headers.empty());
      case 429 -> "insufficient_quota".equals(code) ? insufficientQuota() : requestsRateLimit(named, 60, 60, 1, 1000);
      case 500 -> new ApiError(500, "server_error", null,
          "The server had an error while processing your request. Sorry about that!", null, Headers.empty());
      case 502 -> new ApiError(502, "server_error", null, "Bad gateway.", null, Headers.empty());
      case 503 -> new ApiError(503, "server_error", null,
          "The server is overloaded or not ready yet.", null, Headers.empty());
      case 504 -> timeout();
      case 529 -> new ApiError(529, "overloaded_error", null, "Overloaded", null, Headers.empty());
      default -> new ApiError(status, status < 500 ? "invalid_request_error" : "server_error", null,
          "Simulated HTTP " + status + " error.", null, Headers.empty());
    };
  }

  static ApiError insufficientQuota() {
    return new ApiError(429, "insufficient_quota", "insufficient_quota",
        "You exceeded your current quota, please check your plan and billing details. For more information on this "
            + "error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
        null, Headers.empty());
  }

  /** A 504 for a request the upstream did not answer in time. */
  static ApiError timeout() {
    return new ApiError(504, "server_error", "timeout", "Request timed out.", null, Headers.empty());
  }

  /** OpenAI's 429 for a requests-per-minute limit, worded with the limiter's numbers. */
  static ApiError requestsRateLimit(String model, long limit, long used, long requested, long waitMillis) {
    return new ApiError(429, "requests", "rate_limit_exceeded",
        "Rate limit reached for " + model + " in organization " + ORGANIZATION + " on requests per min (RPM): Limit "
            + limit + ", Used " + used + ", Requested " + requested + ". Please try again in "
            + GoDuration.format(waitMillis) + ". Visit " + RATE_LIMITS_URL + " to learn more.",
        null, Headers.empty());
  }

  /** OpenAI's 429 for a tokens-per-minute limit. */
  static ApiError tokensRateLimit(String model, long limit, long used, long requested, long waitMillis) {
    return new ApiError(429, "tokens", "rate_limit_exceeded",
        "Rate limit reached for " + model + " in organization " + ORGANIZATION + " on tokens per min (TPM): Limit "
            + limit + ", Used " + used + ", Requested " + requested + ". Please try again in "
            + GoDuration.format(waitMillis) + ". Visit " + RATE_LIMITS_URL + " to learn more.",
        null, Headers.empty());
  }

  /** OpenAI's 429 for a request larger than the whole tokens-per-minute limit: waiting cannot help. */
  static ApiError requestTooLarge(String model, long limit, long requested) {
    return new ApiError(429, "tokens", "rate_limit_exceeded",
        "Request too large for " + model + " in organization " + ORGANIZATION + " on tokens per min (TPM): Limit "
            + limit + ", Requested " + requested + ". The input or output tokens must be reduced in order to run "
            + "successfully. Visit " + RATE_LIMITS_URL + " to learn more.",
        null, Headers.empty());
  }

  /** The 429 for a refused limit, worded with the limiter's numbers. */
  static ApiError rateLimited(RateLimit limit) {
    return switch (limit.refused()) {
      case REQUESTS -> requestsRateLimit(limit.model(), limit.requestLimit(), limit.requestsUsed(), limit.requested(),
          limit.waitMillis());
      case TOKENS -> tokensRateLimit(limit.model(), limit.tokenLimit(), limit.tokensUsed(), limit.requested(),
          limit.waitMillis());
      case TOO_LARGE -> requestTooLarge(limit.model(), limit.tokenLimit(), limit.requested());
      case NONE -> throw new IllegalArgumentException("the request was not refused");
    };
  }

  /**
   * All six {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}} (resets as Go durations:
   * {@code 6m0s}, {@code 1s}, {@code 20ms}) and, when asked, the retry headers first.
   */
  static Headers rateLimitHeaders(RateLimit limit) {
    Headers.Builder headers = limit.retry() ? retryAfter(limit.waitMillis()).toBuilder() : Headers.builder();
    return headers
        .add("x-ratelimit-limit-requests", String.valueOf(limit.requestLimit()))
        .add("x-ratelimit-limit-tokens", String.valueOf(limit.tokenLimit()))
        .add("x-ratelimit-remaining-requests", String.valueOf(limit.requestsRemaining()))
        .add("x-ratelimit-remaining-tokens", String.valueOf(limit.tokensRemaining()))
        .add("x-ratelimit-reset-requests", GoDuration.format(limit.requestsResetMillis()))
        .add("x-ratelimit-reset-tokens", GoDuration.format(limit.tokensResetMillis()))
        .build();
  }

  /**
   * {@code retry-after} in whole seconds as HTTP defines it (rounded up, so a client never comes
   * back early) beside {@code retry-after-ms} with the exact wait, which OpenAI's SDKs prefer.
   */
  static Headers retryAfter(long waitMillis) {
    return Headers.of("retry-after", String.valueOf(Math.max(1, (waitMillis + 999) / 1000)),
        "retry-after-ms", String.valueOf(waitMillis));
  }
}
