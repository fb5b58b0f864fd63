package dev.faultline.plugins.faults;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Dialect;
import dev.faultline.plugin.api.EventAction;
import dev.faultline.plugin.api.EventFault;
import dev.faultline.plugin.api.Fault;
import dev.faultline.plugin.api.FaultContext;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.FaultParams;
import dev.faultline.plugin.api.FaultRequest;
import dev.faultline.plugin.api.FaultStrategy;
import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.StreamFailure;
import dev.faultline.plugin.api.SseEvent;
import java.util.List;
import org.pf4j.Extension;

/**
 * Fails a streamed answer mid-way the way the request's API does (its {@link Dialect}): after N
 * events comes OpenAI's {@code data: {"error":{...}}} chunk, a Responses {@code response.failed}
 * event, or Anthropic's {@code event: error}, and the stream ends without its usual end. The
 * official SDKs raise an API error when they read it.
 */
@Extension
public class StreamErrorStrategy implements FaultStrategy {

  static final String AFTER_EVENTS = "after_events";
  static final String TYPE = "type";
  static final String CODE = "code";
  static final String MESSAGE = "message";

  @Override
  public String id() {
    return "stream-error";
  }

  @Override
  public String description() {
    return "Ends a streamed response with an error event after N events, as the API does";
  }

  @Override
  public List<FaultParam> params() {
    return List.of(
        FaultParam.integer(AFTER_EVENTS, "events let through before the error (at the latest, it replaces the "
            + "stream's end: [DONE], response.completed, message_stop)").withDefault(2).withRange(0, 1_000_000),
        FaultParam.string(TYPE, "the error's type (default: the API's 500 type, server_error for OpenAI, "
            + "api_error for Anthropic)"),
        FaultParam.string(CODE, "the error's code (none by default)"),
        FaultParam.string(MESSAGE, "the error's message (default: the API's 500 wording)"));
  }

  @Override
  public Fault create(FaultParams params, FaultContext context) {
    long after = params.getLong(AFTER_EVENTS);
    return request -> request.stream() ? FaultDecision.events(fail(params, after, request)) : FaultDecision.pass();
  }

  /** One stream's failure, in the request's dialect. */
  private static EventFault fail(FaultParams params, long after, FaultRequest request) {
    Dialect dialect = request.dialect();
    ApiError usual = dialect.error(500, null, request.model());
    ApiError error = new ApiError(500, params.has(TYPE) ? params.getString(TYPE) : usual.type(),
        params.getString(CODE), params.has(MESSAGE) ? params.getString(MESSAGE) : usual.message(), null,
        Headers.empty());
    StreamFailure failure = dialect.streamFailure(error);
    return (event, index, elapsedMillis) -> {
      if (index >= after || dialect.endsStream(event)) {
        return EventAction.end(failure.events().toArray(SseEvent[]::new));
      }
      failure.seen(event);
      return EventAction.pass();
    };
  }
}
