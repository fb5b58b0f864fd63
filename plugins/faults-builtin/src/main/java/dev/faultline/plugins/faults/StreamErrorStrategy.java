package dev.faultline.plugins.faults;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.EventAction;
import dev.faultline.plugin.api.EventFault;
import dev.faultline.plugin.api.Fault;
import dev.faultline.plugin.api.FaultContext;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.FaultParams;
import dev.faultline.plugin.api.FaultStrategy;
import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.OpenAiFormat;
import dev.faultline.plugin.api.SseEvent;
import java.util.List;
import org.pf4j.Extension;

/**
 * Fails a streamed answer mid-way the way OpenAI does: after N events comes one
 * {@code data: {"error":{...}}} event and the stream ends, without {@code [DONE]}. The official
 * SDKs raise an API error when they read it.
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
    return "Ends a streamed response with an error event after N events, as OpenAI does";
  }

  @Override
  public List<FaultParam> params() {
    return List.of(
        FaultParam.integer(AFTER_EVENTS, "events let through before the error (at the latest, it replaces [DONE])")
            .withDefault(2).withRange(0, 1_000_000),
        FaultParam.string(TYPE, "the error's type").withDefault("server_error"),
        FaultParam.string(CODE, "the error's code (none by default)"),
        FaultParam.string(MESSAGE, "the error's message")
            .withDefault("The server had an error while processing your request. Sorry about that!"));
  }

  @Override
  public Fault create(FaultParams params, FaultContext context) {
    long after = params.getLong(AFTER_EVENTS);
    ApiError error = new ApiError(500, params.getString(TYPE), params.getString(CODE), params.getString(MESSAGE), null,
        Headers.empty());
    SseEvent errorEvent = SseEvent.of(OpenAiFormat.errorBody(error).encode());
    EventFault fail = (event, index, elapsedMillis) ->
        index >= after || event.isDone() ? EventAction.end(errorEvent) : EventAction.pass();
    return request -> request.stream() ? FaultDecision.events(fail) : FaultDecision.pass();
  }
}
