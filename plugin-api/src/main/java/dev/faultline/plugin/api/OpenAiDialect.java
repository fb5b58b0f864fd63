package dev.faultline.plugin.api;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * OpenAI's Chat Completions API (and its legacy completions, embeddings and models): errors as
 * {@code {"error":{"message","type","param","code"}}}, {@code x-ratelimit-*} counters, a stream
 * that fails with a {@code data: {"error":…}} chunk and ends with {@code data: [DONE]}.
 */
class OpenAiDialect implements Dialect {

  @Override
  public String id() {
    return "openai-chat";
  }

  @Override
  public String errorType(int status) {
    return switch (status) {
      case 403 -> "request_forbidden";
      case 429 -> "requests";
      case 529 -> "overloaded_error";
      default -> status < 500 ? "invalid_request_error" : "server_error";
    };
  }

  @Override
  public ApiError error(int status, String code, String model) {
    if (status == 504) {
      return OpenAiErrors.timeout();
    }
    return OpenAiErrors.forStatus(status, code, model);
  }

  @Override
  public ApiError rateLimited(RateLimit limit) {
    return OpenAiErrors.rateLimited(limit);
  }

  @Override
  public Headers rateLimitHeaders(RateLimit limit) {
    return OpenAiErrors.rateLimitHeaders(limit);
  }

  @Override
  public Headers retryAfter(long waitMillis) {
    return OpenAiErrors.retryAfter(waitMillis);
  }

  @Override
  public ProviderResponse errorResponse(ApiError error, String requestId) {
    return OpenAiFormat.errorResponse(error);
  }

  @Override
  public StreamFailure streamFailure(ApiError error) {
    SseEvent event = SseEvent.of(OpenAiFormat.errorBody(error).encode());
    return () -> List.of(event);
  }

  @Override
  public boolean endsStream(SseEvent event) {
    return event.isDone();
  }

  @Override
  public String requestIdHeader() {
    return "x-request-id";
  }

  @Override
  public Optional<Usage> usage(JsonObject bodyOrEvent) {
    return OpenAiFormat.usage(bodyOrEvent);
  }

  @Override
  public String toString() {
    return id();
  }
}
