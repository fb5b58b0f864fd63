package dev.faultline.plugins.faults;

import dev.faultline.plugin.api.Fault;
import dev.faultline.plugin.api.FaultContext;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.FaultParams;
import dev.faultline.plugin.api.FaultStrategy;
import java.time.Duration;
import java.util.List;
import org.pf4j.Extension;

/**
 * Accepts the request and says nothing, forever or for N seconds, then drops the connection, goes
 * on, or answers a 504: what a stuck upstream or load balancer does. No thread is held.
 */
@Extension
public class HangStrategy implements FaultStrategy {

  static final String SECONDS = "seconds";
  static final String THEN = "then";

  @Override
  public String id() {
    return "hang";
  }

  @Override
  public String description() {
    return "Never answers (or not for N seconds): the caller's own timeout must save it";
  }

  @Override
  public List<FaultParam> params() {
    return List.of(
        FaultParam.number(SECONDS, "how long to hang; 0 means forever").withDefault(0).withRange(0, 86_400),
        FaultParam.choice(THEN, "after the hang: drop the connection (reset), go on to the upstream (continue) "
            + "or answer 504 (timeout)", "reset", "continue", "timeout").withDefault("reset"));
  }

  @Override
  public Fault create(FaultParams params, FaultContext context) {
    double seconds = params.getDouble(SECONDS);
    if (seconds == 0) {
      return request -> FaultDecision.hang();
    }
    Duration hang = Duration.ofMillis(Math.round(seconds * 1000));
    return switch (params.getString(THEN)) {
      case "continue" -> request -> FaultDecision.delay(hang, FaultDecision.pass());
      // The gateway timeout of the request's own API.
      case "timeout" -> request -> FaultDecision.delay(hang, FaultDecision.error(
          request.dialect().error(504, null, request.model())));
      default -> request -> FaultDecision.delay(hang, FaultDecision.reset());
    };
  }
}
