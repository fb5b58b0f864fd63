package dev.faultline.plugin.api;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Anthropic's Messages API ({@code /v1/messages}): errors as
 * {@code {"type":"error","error":{"type","message"},"request_id"}} with Anthropic's types,
 * {@code x-should-retry: true} on the statuses its SDKs retry, {@code anthropic-ratelimit-*}
 * counters with RFC 3339 resets and a whole-second {@code retry-after}, a stream that fails with
 * {@code event: error} and ends with {@code message_stop}, the id in {@code request-id}, and usage
 * as {@code input_tokens} (plus cache reads and writes) / {@code output_tokens}.
 */
final class AnthropicDialect implements Dialect {

  static final String DEFAULT_MODEL = "claude-sonnet-4-5";
  static final String RATE_LIMITS_URL = "https://docs.claude.com/en/api/rate-limits";

  @Override
  public String id() {
    return "anthropic-messages";
  }

  @Override
  public String errorType(int status) {
    return switch (status) {
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      case 529 -> "overloaded_error";
      default -> status < 500 ? "invalid_request_error" : "api_error";
    };
  }

  @Override
  public ApiError error(int status, String code, String model) {
    String named = model == null ? DEFAULT_MODEL : model;
    String message = switch (status) {
      case 400 -> "prompt is too long: 213462 tokens > 200000 maximum";
      case 401 -> "invalid x-api-key";
      case 402 -> "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to "
          + "upgrade or purchase credits.";
      case 403 -> "Your API key does not have permission to use the specified resource.";
      case 404 -> "model: " + named;
      case 413 -> "Request exceeds the maximum allowed number of bytes.";
      case 429 -> requestsMessage(60);
      case 500 -> "Internal server error";
      case 504 -> "Request timed out";
      case 529 -> "Overloaded";
      default -> "Simulated HTTP " + status + " error.";
    };
    return new ApiError(status, errorType(status), null, message, null, Headers.empty());
  }

  @Override
  public ApiError rateLimited(RateLimit limit) {
    String message = switch (limit.refused()) {
      case REQUESTS -> requestsMessage(limit.requestLimit());
      case TOKENS -> "This request would exceed the rate limit for your organization of " + limit.tokenLimit()
          + " input tokens per minute. For details, refer to: " + RATE_LIMITS_URL + ". You can see the response "
          + "headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try "
          + "again later.";
      case TOO_LARGE -> "This request would exceed the rate limit for your organization of " + limit.tokenLimit()
          + " input tokens per minute: it asks for " + limit.requested() + ". Please reduce the prompt length or "
          + "the maximum tokens requested.";
      case NONE -> throw new IllegalArgumentException("the request was not refused");
    };
    return new ApiError(429, "rate_limit_error", null, message, null, Headers.empty());
  }

  private static String requestsMessage(long limit) {
    return "This request would exceed the rate limit for your organization of " + limit + " requests per minute. "
        + "For details, refer to: " + RATE_LIMITS_URL + ". You can see the response headers for current usage. "
        + "Please try again later.";
  }

  /**
   * {@code anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}}:
   * the one token bucket stands for all three token limits (Anthropic reports the most restrictive
   * as {@code tokens}); resets are the instants the buckets are full again.
   */
  @Override
  public Headers rateLimitHeaders(RateLimit limit) {
    Headers.Builder headers = limit.retry() ? retryAfter(limit.waitMillis()).toBuilder() : Headers.builder();
    String requestsReset = instant(limit.now(), limit.requestsResetMillis());
    String tokensReset = instant(limit.now(), limit.tokensResetMillis());
    headers.add("anthropic-ratelimit-requests-limit", String.valueOf(limit.requestLimit()))
        .add("anthropic-ratelimit-requests-remaining", String.valueOf(limit.requestsRemaining()))
        .add("anthropic-ratelimit-requests-reset", requestsReset);
    for (String kind : List.of("tokens", "input-tokens", "output-tokens")) {
      headers.add("anthropic-ratelimit-" + kind + "-limit", String.valueOf(limit.tokenLimit()))
          .add("anthropic-ratelimit-" + kind + "-remaining", String.valueOf(limit.tokensRemaining()))
          .add("anthropic-ratelimit-" + kind + "-reset", tokensReset);
    }
    return headers.build();
  }

  /** RFC 3339 at whole seconds, rounded up so a client that waits for it is never early. */
  private static String instant(Instant now, long plusMillis) {
    Instant at = now.plusMillis(Math.max(0, plusMillis));
    Instant whole = at.truncatedTo(ChronoUnit.SECONDS);
    return (whole.equals(at) ? whole : whole.plusSeconds(1)).toString();
  }

  /** Whole seconds, rounded up: Anthropic sends no {@code retry-after-ms}. */
  @Override
  public Headers retryAfter(long waitMillis) {
    return Headers.of("retry-after", String.valueOf(Math.max(1, (waitMillis + 999) / 1000)));
  }

  @Override
  public ProviderResponse errorResponse(ApiError error, String requestId) {
    Headers.Builder headers = error.headers().toBuilder().set("content-type", "application/json");
    if (retryable(error.status())) {
      headers.set("x-should-retry", "true");
    }
    return ProviderResponse.of(error.status(), headers.build(), body(error, requestId).toBuffer());
  }

  /** What Anthropic's SDKs retry by status; the header makes it explicit, as Anthropic's answers do. */
  private static boolean retryable(int status) {
    return status == 408 || status == 409 || status == 429 || status >= 500;
  }

  static JsonObject body(ApiError error, String requestId) {
    JsonObject body = new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", error.type()).put("message", error.message()));
    return requestId == null ? body : body.put("request_id", requestId);
  }

  @Override
  public StreamFailure streamFailure(ApiError error) {
    SseEvent event = new SseEvent("error", body(error, null).encode(), null);
    return () -> List.of(event);
  }

  @Override
  public boolean endsStream(SseEvent event) {
    if ("message_stop".equals(event.event())) {
      return true;
    }
    JsonObject json = event.event() == null ? event.json() : null;
    return json != null && "message_stop".equals(json.getValue("type"));
  }

  @Override
  public String requestIdHeader() {
    return "request-id";
  }

  @Override
  public Optional<Usage> usage(JsonObject bodyOrEvent) {
    return UsageFields.anthropic(UsageFields.nested(bodyOrEvent, "message"));
  }

  @Override
  public String toString() {
    return id();
  }
}
