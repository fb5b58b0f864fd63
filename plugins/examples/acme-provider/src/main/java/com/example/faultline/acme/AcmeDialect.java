package com.example.faultline.acme;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Dialect;
import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.plugin.api.RateLimit;
import dev.faultline.plugin.api.SseEvent;
import dev.faultline.plugin.api.StreamFailure;
import dev.faultline.plugin.api.Usage;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * How Acme's API fails and frames its answers. Every built-in fault (http-error, rate-limit,
 * hang, stream-error…) and every Faultline error asks this instead of writing OpenAI's JSON, so
 * an Acme client sees Acme's own failures:
 * <ul>
 *   <li>errors: {@code {"failure":{"status":503,"kind":"unavailable","detail":"…"},"trace_id":"…"}};</li>
 *   <li>quota headers {@code acme-quota-limit}, {@code acme-quota-remaining},
 *       {@code acme-quota-reset} (seconds) and a whole-second {@code retry-after};</li>
 *   <li>a stream of {@code event: token} events that ends with {@code event: done} and fails
 *       with {@code event: failure};</li>
 *   <li>the request id in {@code acme-trace-id}; usage as {@code input_units} / {@code output_units}.</li>
 * </ul>
 */
public final class AcmeDialect implements Dialect {

  public static final AcmeDialect INSTANCE = new AcmeDialect();

  static final String DONE = "done";
  static final String FAILURE = "failure";

  private AcmeDialect() {
  }

  @Override
  public String id() {
    return "acme";
  }

  @Override
  public String errorType(int status) {
    return switch (status) {
      case 401, 403 -> "unauthorized";
      case 404 -> "not_found";
      case 429 -> "quota_exceeded";
      case 503 -> "unavailable";
      case 504 -> "timeout";
      default -> status < 500 ? "bad_request" : "internal";
    };
  }

  @Override
  public ApiError error(int status, String code, String model) {
    String message = switch (status) {
      case 401 -> "Unknown API key.";
      case 404 -> "No such model: " + (model == null ? "acme-1" : model) + ".";
      case 429 -> "Quota used up. Try again later.";
      case 503 -> "Acme is under maintenance.";
      case 504 -> "Generation timed out.";
      default -> status < 500 ? "Bad request." : "Something broke at Acme.";
    };
    return new ApiError(status, errorType(status), code, message, null, Headers.empty());
  }

  @Override
  public ApiError rateLimited(RateLimit limit) {
    String message = switch (limit.refused()) {
      case REQUESTS -> "Quota of " + limit.requestLimit() + " requests per minute used up.";
      case TOKENS, TOO_LARGE -> "Quota of " + limit.tokenLimit() + " units per minute used up.";
      case NONE -> throw new IllegalArgumentException("the request was not refused");
    };
    return new ApiError(429, "quota_exceeded", null, message, null, Headers.empty());
  }

  /** Acme reports the request quota only; the reset is whole seconds, rounded up. */
  @Override
  public Headers rateLimitHeaders(RateLimit limit) {
    Headers.Builder headers = limit.retry() ? retryAfter(limit.waitMillis()).toBuilder() : Headers.builder();
    return headers.add("acme-quota-limit", String.valueOf(limit.requestLimit()))
        .add("acme-quota-remaining", String.valueOf(limit.requestsRemaining()))
        .add("acme-quota-reset", String.valueOf(seconds(limit.requestsResetMillis())))
        .build();
  }

  @Override
  public Headers retryAfter(long waitMillis) {
    return Headers.of("retry-after", String.valueOf(Math.max(1, seconds(waitMillis))));
  }

  private static long seconds(long millis) {
    return (Math.max(0, millis) + 999) / 1000;
  }

  @Override
  public ProviderResponse errorResponse(ApiError error, String requestId) {
    Headers headers = error.headers().toBuilder().set("content-type", "application/json").build();
    return ProviderResponse.of(error.status(), headers, body(error, requestId).toBuffer());
  }

  static JsonObject body(ApiError error, String requestId) {
    JsonObject body = new JsonObject().put("failure", new JsonObject()
        .put("status", error.status()).put("kind", error.type()).put("detail", error.message()));
    return requestId == null ? body : body.put("trace_id", requestId);
  }

  @Override
  public StreamFailure streamFailure(ApiError error) {
    SseEvent failure = new SseEvent(FAILURE, body(error, null).encode(), null);
    return () -> List.of(failure);
  }

  @Override
  public boolean endsStream(SseEvent event) {
    return DONE.equals(event.event());
  }

  @Override
  public String requestIdHeader() {
    return "acme-trace-id";
  }

  /** From a whole answer or the {@code done} event: both carry {@code usage}. */
  @Override
  public Optional<Usage> usage(JsonObject bodyOrEvent) {
    JsonObject usage = bodyOrEvent == null ? null : bodyOrEvent.getJsonObject("usage");
    if (usage == null) {
      return Optional.empty();
    }
    long in = usage.getLong("input_units", 0L);
    long out = usage.getLong("output_units", 0L);
    return Optional.of(new Usage(in, out, in + out, 0));
  }

  @Override
  public String toString() {
    return id();
  }
}
