package dev.faultline.plugins.faults;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Fault;
import dev.faultline.plugin.api.FaultContext;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.FaultParams;
import dev.faultline.plugin.api.FaultStrategy;
import dev.faultline.plugin.api.Headers;
import java.util.List;
import org.pf4j.Extension;

/**
 * Answers with an HTTP error exactly as OpenAI words it: a 429 {@code rate_limit_exceeded} with its
 * {@code retry-after} and {@code x-ratelimit-*} headers, a 500 {@code server_error}, a 400
 * {@code context_length_exceeded}, a 401 {@code invalid_api_key}, a 529 overload, or any status.
 * One entry per status, each with its own rate.
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
    return "Answers with an HTTP error worded as OpenAI words it (429, 500, 503, 400, 401, 529 or any status)";
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
    return request -> FaultDecision.error(error(params, status, code, request.model()));
  }

  private static ApiError error(FaultParams params, int status, String code, String model) {
    ApiError preset = OpenAiErrors.forStatus(status, code, model);
    boolean rateLimited = status == 429 && "rate_limit_exceeded".equals(preset.code());
    int retryAfter = params.has(RETRY_AFTER) ? params.getInt(RETRY_AFTER) : rateLimited ? DEFAULT_RETRY_AFTER : 0;
    if (rateLimited) {
      preset = OpenAiErrors.requestsRateLimit(model == null ? "gpt-4o-mini" : model, 60, 60, 1, retryAfter * 1000L);
    }
    Headers headers;
    if (rateLimited) {
      // A requests-per-minute limit ran out; the tokens were not the cause, so theirs show untouched.
      headers = RateLimitHeaders.of(60, 0, retryAfter * 1000L, RateLimitStrategy.UNENFORCED_TOKENS,
          RateLimitStrategy.UNENFORCED_TOKENS, 0, retryAfter > 0 ? retryAfter * 1000L : -1);
    } else if (retryAfter > 0) {
      headers = Headers.builder().add("retry-after", String.valueOf(retryAfter))
          .add("retry-after-ms", String.valueOf(retryAfter * 1000L)).build();
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
