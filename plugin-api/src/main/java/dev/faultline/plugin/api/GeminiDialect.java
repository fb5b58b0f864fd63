package dev.faultline.plugin.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Google Gemini's OpenAI-compatible endpoint: requests, answers, streams and usage as Chat
 * Completions, but errors as Google APIs write them, a JSON array
 * {@code [{"error":{"code","message","status"}}]} with Google's status names
 * ({@code RESOURCE_EXHAUSTED} for 429, {@code UNAVAILABLE} for 503, …), and no rate-limit headers.
 */
final class GeminiDialect extends OpenAiDialect {

  @Override
  public String id() {
    return "gemini-openai";
  }

  @Override
  public String errorType(int status) {
    return switch (status) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ABORTED";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 499 -> "CANCELLED";
      case 501 -> "UNIMPLEMENTED";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> status < 500 ? "FAILED_PRECONDITION" : "INTERNAL";
    };
  }

  @Override
  public ApiError error(int status, String code, String model) {
    String message = switch (status) {
      case 400 -> "Request contains an invalid argument.";
      case 401 -> "API key not valid. Please pass a valid API key.";
      case 403 -> "The caller does not have permission";
      case 404 -> "models/" + (model == null ? "gemini-2.0-flash" : model) + " is not found for API version "
          + "v1beta, or is not supported for generateContent.";
      case 429 -> "Resource has been exhausted (e.g. check quota).";
      case 500 -> "An internal error has occurred. Please retry or report in "
          + "https://developers.generativeai.google/guide/troubleshooting";
      case 503 -> "The model is overloaded. Please try again later.";
      case 504 -> "Deadline exceeded";
      default -> "Simulated HTTP " + status + " error.";
    };
    return new ApiError(status, errorType(status), null, message, null, Headers.empty());
  }

  @Override
  public ApiError rateLimited(RateLimit limit) {
    return error(429, null, limit.model());
  }

  /** Google sends no rate-limit counters nor retry headers: clients back off on their own. */
  @Override
  public Headers rateLimitHeaders(RateLimit limit) {
    return Headers.empty();
  }

  @Override
  public Headers retryAfter(long waitMillis) {
    return Headers.of("retry-after", String.valueOf(Math.max(1, (waitMillis + 999) / 1000)));
  }

  @Override
  public ProviderResponse errorResponse(ApiError error, String requestId) {
    Headers headers = error.headers().with("content-type", "application/json; charset=UTF-8");
    return ProviderResponse.of(error.status(), headers, new JsonArray().add(body(error)).toBuffer());
  }

  private static JsonObject body(ApiError error) {
    return new JsonObject().put("error", new JsonObject()
        .put("code", error.status()).put("message", error.message()).put("status", error.type()));
  }

  @Override
  public StreamFailure streamFailure(ApiError error) {
    SseEvent event = SseEvent.of(body(error).encode());
    return () -> List.of(event);
  }
}
