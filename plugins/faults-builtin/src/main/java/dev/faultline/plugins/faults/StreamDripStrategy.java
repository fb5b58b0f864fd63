package dev.faultline.plugins.faults;

import dev.faultline.plugin.api.EventAction;
import dev.faultline.plugin.api.EventFault;
import dev.faultline.plugin.api.Fault;
import dev.faultline.plugin.api.FaultContext;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.FaultParams;
import dev.faultline.plugin.api.FaultStrategy;
import java.time.Duration;
import java.util.List;
import org.pf4j.Extension;

/** Slows a streamed answer to a drip: each event waits a while after the one before it. */
@Extension
public class StreamDripStrategy implements FaultStrategy {

  static final String DELAY_MS = "delay_ms";

  @Override
  public String id() {
    return "stream-drip";
  }

  @Override
  public String description() {
    return "Delays every event of a streamed response";
  }

  @Override
  public List<FaultParam> params() {
    return List.of(FaultParam.integer(DELAY_MS, "milliseconds each event waits").withDefault(500).withRange(1, 60_000));
  }

  @Override
  public Fault create(FaultParams params, FaultContext context) {
    EventAction slow = EventAction.pass().after(Duration.ofMillis(params.getLong(DELAY_MS)));
    EventFault drip = (event, index, elapsedMillis) -> slow;
    return request -> request.stream() ? FaultDecision.events(drip) : FaultDecision.pass();
  }
}
