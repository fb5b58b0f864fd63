package dev.faultline.plugins.faults;

import dev.faultline.plugin.api.EventAction;
import dev.faultline.plugin.api.EventFault;
import dev.faultline.plugin.api.Fault;
import dev.faultline.plugin.api.FaultContext;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.FaultParams;
import dev.faultline.plugin.api.FaultStrategy;
import dev.faultline.plugin.api.SseEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Breaks a streamed answer: after N events or N milliseconds the connection is closed, so the
 * caller never sees {@code [DONE]}. Requests without {@code "stream": true} pass.
 */
@Extension
public class StreamCutStrategy implements FaultStrategy {

  static final String AFTER_EVENTS = "after_events";
  static final String AFTER_MS = "after_ms";
  /** Events let through when the entry sets neither limit. */
  static final int DEFAULT_EVENTS = 3;

  @Override
  public String id() {
    return "stream-cut";
  }

  @Override
  public String description() {
    return "Closes a streamed response's connection after N events or N ms, without [DONE]";
  }

  @Override
  public List<FaultParam> params() {
    return List.of(
        FaultParam.integer(AFTER_EVENTS, "events let through before the cut (3 when neither limit is set)")
            .withRange(0, 1_000_000),
        FaultParam.integer(AFTER_MS, "milliseconds of streaming before the cut, even while the upstream is silent")
            .withRange(0, 3_600_000));
  }

  @Override
  public Fault create(FaultParams params, FaultContext context) {
    long afterEvents = params.has(AFTER_EVENTS) ? params.getLong(AFTER_EVENTS)
        : params.has(AFTER_MS) ? Long.MAX_VALUE : DEFAULT_EVENTS;
    Optional<Duration> afterTime = params.has(AFTER_MS)
        ? Optional.of(Duration.ofMillis(params.getLong(AFTER_MS))) : Optional.empty();
    EventFault cut = new EventFault() {
      @Override
      public EventAction onEvent(SseEvent event, int index, long elapsedMillis) {
        return index < afterEvents ? EventAction.pass() : EventAction.cut();
      }

      @Override
      public Optional<Duration> cutAfter() {
        return afterTime;
      }
    };
    return request -> request.stream() ? FaultDecision.events(cut) : FaultDecision.pass();
  }
}
