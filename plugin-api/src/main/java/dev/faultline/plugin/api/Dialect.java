package dev.faultline.plugin.api;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * How one HTTP API fails and frames its answers: the error body and type names, the rate-limit and
 * retry headers, how a stream reports an error and how it ends, the request-id header and where
 * usage is written. Faults ask the dialect of the request's API instead of writing any one API's
 * JSON, so every fault speaks every dialect, including a third-party provider's own.
 *
 * <p>A {@link Provider} names the dialect of each request with {@link Provider#dialect}. The
 * shipped ones are in {@link Dialects}; a provider for another API implements this interface
 * (usually by extending one of the shipped ones' behaviour through delegation).
 *
 * @since 0.2.0
 */
public interface Dialect {

  /** A stable name, e.g. {@code openai-chat}, {@code anthropic-messages}; shown in logs and docs. */
  String id();

  /** The error type this API gives an HTTP {@code status}, e.g. {@code rate_limit_error} for 429. */
  String errorType(int status);

  /**
   * The error this API answers with {@code status}, worded as it words it; {@code code} picks a
   * variant where a status has several (OpenAI's {@code insufficient_quota} 429), else {@code null}.
   *
   * @param model the model the caller named, or {@code null}
   */
  ApiError error(int status, String code, String model);

  /** The 429 for a refused {@code limit}, without headers (see {@link #rateLimitHeaders}). */
  ApiError rateLimited(RateLimit limit);

  /** The rate-limit headers an answer carries, with the retry headers when {@code limit.retry()}. */
  Headers rateLimitHeaders(RateLimit limit);

  /** The headers that ask a caller to come back in {@code waitMillis}. */
  Headers retryAfter(long waitMillis);

  /** The whole error answer: status, body, headers (the error's own among them). */
  ProviderResponse errorResponse(ApiError error, String requestId);

  /** Reports {@code error} inside a stream already under way; one per stream. */
  StreamFailure streamFailure(ApiError error);

  /** Whether {@code event} is the one that ends a successful stream ({@code data: [DONE]}, …). */
  boolean endsStream(SseEvent event);

  /** The header that carries the request id, e.g. {@code x-request-id}. */
  String requestIdHeader();

  /** Token usage in a JSON answer or in one streamed event, if it carries some. */
  Optional<Usage> usage(JsonObject bodyOrEvent);
}
