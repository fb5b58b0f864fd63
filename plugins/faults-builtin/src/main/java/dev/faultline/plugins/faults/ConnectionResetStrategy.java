package dev.faultline.plugins.faults;

import dev.faultline.plugin.api.Fault;
import dev.faultline.plugin.api.FaultContext;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultParams;
import dev.faultline.plugin.api.FaultStrategy;
import org.pf4j.Extension;

/** Drops the caller's connection before any response byte, as a crashed upstream or proxy does. */
@Extension
public class ConnectionResetStrategy implements FaultStrategy {

  @Override
  public String id() {
    return "connection-reset";
  }

  @Override
  public String description() {
    return "Drops the connection before any response byte";
  }

  @Override
  public Fault create(FaultParams params, FaultContext context) {
    return request -> FaultDecision.reset();
  }
}
