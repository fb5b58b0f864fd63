package dev.faultline.plugins.faults;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Fault;
import dev.faultline.plugin.api.Dialect;
import dev.faultline.plugin.api.FaultContext;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.FaultParams;
import dev.faultline.plugin.api.FaultRequest;
import dev.faultline.plugin.api.FaultStrategy;
import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.RateLimit;
import java.util.List;
import org.pf4j.Extension;

/**
 * Answers with an HTTP error exactly as the request's API words it (its {@link Dialect}): for OpenAI
 * a 429 {@code rate_limit_exceeded} with its {@code retry-after} and {@code x-ratelimit-*} headers, a
 * 500 {@code server_error}, a 400 {@code context_length_exceeded}, a 401 {@code invalid_api_key};
 * for Anthropic a 529 {@code overloaded_error} or a 429 {@code rate_limit_error} with
 * {@code anthropic-ratelimit-*} headers; or any status. One entry per status, each with its own rate.
 */
@Extension
public class HttpErrorStrategy implements FaultStrategy {

  static final String STATUS = "status";
  static final String CODE = "code";
  static final String TYPE = "type";
  static final String MESSAGE = "message";
  static final String RETRY_AFTER = "retry_after";

  /** How long a simulated 429 asks the caller to wait when the entry does not say. */
  static final int DEFAULT_RETRY_AFTER = 1;

  @Override
  public String id() {
    return "http-error";
  }

  @Override
  public String description() {
    return "Answers with an HTTP error worded as the API words it (429, 500, 503, 400, 401, 529 or any status)";
  }

  @Override
  public List<FaultParam> params() {
    return List.of(
        FaultParam.integer(STATUS, "HTTP status to answer with").withDefault(500).withRange(400, 599),
        FaultParam.string(CODE, "error code instead of the status's usual one; with 429, insufficient_quota "
            + "answers OpenAI's out-of-quota error"),
        FaultParam.string(TYPE, "error type instead of the status's usual one"),
        FaultParam.string(MESSAGE, "error message instead of OpenAI's usual wording"),
        FaultParam.integer(RETRY_AFTER, "seconds in the retry-after header (0: none); default 1 for a 429 "
            + "rate_limit_exceeded, none otherwise").withRange(0, 3600));
  }

  @Override
  public Fault create(FaultParams params, FaultContext context) {
    int status = params.getInt(STATUS);
    String code = params.getString(CODE);
    return request -> FaultDecision.error(error(params, status, code, request));
  }

  /** The dialect's own error for the status, with its rate-limit or retry headers. */
  private static ApiError error(FaultParams params, int status, String code, FaultRequest request) {
    Dialect dialect = request.dialect();
    String model = request.model();
    ApiError preset = dialect.error(status, code, model);
    boolean rateLimited = status == 429 && !"insufficient_quota".equals(code);
    int retryAfter = params.has(RETRY_AFTER) ? params.getInt(RETRY_AFTER) : rateLimited ? DEFAULT_RETRY_AFTER : 0;
    Headers headers;
    if (rateLimited) {
      // A requests-per-minute limit ran out; the tokens were not the cause, so theirs show untouched.
      RateLimit limit = new RateLimit(model == null ? "gpt-4o-mini" : model, RateLimit.Refusal.REQUESTS, 60, 0,
          retryAfter * 1000L, RateLimitStrategy.UNENFORCED_TOKENS, RateLimitStrategy.UNENFORCED_TOKENS, 0, 1,
          retryAfter * 1000L, retryAfter > 0, request.clock().instant());
      preset = dialect.rateLimited(limit);
      headers = dialect.rateLimitHeaders(limit);
    } else if (retryAfter > 0) {
      headers = dialect.retryAfter(retryAfter * 1000L);
    } else {
      headers = Headers.empty();
    }
    return new ApiError(status,
        params.has(TYPE) ? params.getString(TYPE) : preset.type(),
        code != null ? code : preset.code(),
        params.has(MESSAGE) ? params.getString(MESSAGE) : preset.message(),
        preset.param(),
        headers);
  }
}
