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
import java.util.List;
import org.pf4j.Extension;

/**
 * Sends one event of a streamed answer as malformed JSON (cut off half-way), the way a truncated
 * proxy buffer or a buggy gateway does; the rest of the stream is untouched.
 */
@Extension
public class StreamCorruptStrategy implements FaultStrategy {

  static final String EVENT = "event";

  @Override
  public String id() {
    return "stream-corrupt";
  }

  @Override
  public String description() {
    return "Sends one JSON event of a streamed response cut off half-way (malformed JSON)";
  }

  @Override
  public List<FaultParam> params() {
    return List.of(FaultParam.integer(EVENT, "position of the event to corrupt, from 0 (the next JSON event if "
        + "that one is not JSON)").withDefault(1).withRange(0, 1_000_000));
  }

  @Override
  public Fault create(FaultParams params, FaultContext context) {
    long target = params.getLong(EVENT);
    return request -> request.stream() ? FaultDecision.events(new Corrupter(target)) : FaultDecision.pass();
  }

  /** One stream's corrupter: it spoils one event, once. */
  private static final class Corrupter implements EventFault {
    private final long target;
    private boolean spoiled;

    Corrupter(long target) {
      this.target = target;
    }

    @Override
    public EventAction onEvent(SseEvent event, int index, long elapsedMillis) {
      if (spoiled || index < target || event.json() == null) {
        return EventAction.pass();
      }
      spoiled = true;
      String data = event.data();
      return EventAction.replace(new SseEvent(event.event(), data.substring(0, data.length() / 2), event.id()));
    }
  }
}
