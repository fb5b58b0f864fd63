package com.example.faultline.maintenance;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Dialect;
import dev.faultline.plugin.api.Fault;
import dev.faultline.plugin.api.FaultContext;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.FaultParamException;
import dev.faultline.plugin.api.FaultParams;
import dev.faultline.plugin.api.FaultStrategy;
import dev.faultline.plugin.api.Headers;
import java.util.List;
import org.pf4j.Extension;

/**
 * A maintenance window: answers every request it is asked about with the API's own "come back
 * later" error ({@code status}, 503 by default) and its retry headers. It writes no JSON itself:
 * the request's {@link Dialect} words the error (Anthropic's {@code overloaded_error} for a 529,
 * OpenAI's {@code server_error}, Acme's {@code unavailable}…) and its {@code retry-after}, so the
 * same strategy is right for every API and every provider, a third party's included.
 *
 * <p>When the window applies is the proxy's business: the entry's {@code rate} and
 * {@code schedule} ({@code from_sec} / {@code until_sec}) choose the requests this is asked about.
 */
@Extension
public class MaintenanceFault implements FaultStrategy {

  static final String STATUS = "status";
  static final String RETRY_AFTER = "retry_after";
  static final String MESSAGE = "message";

  @Override
  public String id() {
    return "maintenance";
  }

  @Override
  public String description() {
    return "Answers the API's own 'unavailable' error with a retry-after, as during planned maintenance";
  }

  @Override
  public List<FaultParam> params() {
    return List.of(
        FaultParam.integer(STATUS, "HTTP status: 503, or 529 (Anthropic's overloaded)").withDefault(503)
            .withRange(500, 599),
        FaultParam.integer(RETRY_AFTER, "seconds the caller is asked to wait (0 = no retry headers)")
            .withDefault(30).withRange(0, 86_400),
        FaultParam.string(MESSAGE, "the error message; the API's own wording when empty"));
  }

  /** What no single parameter can say: a message is a sentence, not a blank. */
  @Override
  public void validate(FaultParams params) {
    if (params.has(MESSAGE) && params.getString(MESSAGE).isBlank()) {
      throw new FaultParamException(MESSAGE, "must not be blank; leave it out for the API's own wording");
    }
  }

  @Override
  public Fault create(FaultParams params, FaultContext context) {
    int status = params.getInt(STATUS);
    long retryAfterSeconds = params.getLong(RETRY_AFTER);
    String message = params.has(MESSAGE) ? params.getString(MESSAGE) : null;
    // Decided per request: one proxy's requests can speak several dialects (/v1/messages, /v1/responses…).
    return request -> {
      Dialect dialect = request.dialect();
      ApiError own = dialect.error(status, null, request.model());
      Headers headers = retryAfterSeconds == 0 ? Headers.empty() : dialect.retryAfter(retryAfterSeconds * 1000);
      return FaultDecision.error(new ApiError(status, own.type(), own.code(), message == null ? own.message() : message,
          own.param(), headers));
    };
  }
}
