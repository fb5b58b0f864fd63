package dev.faultline.plugins.faults;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.faultline.plugin.api.EventFault;
import dev.faultline.plugin.api.Fault;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultRequest;
import dev.faultline.plugin.api.FaultStrategy;
import dev.faultline.plugin.api.SseEvent;
import io.vertx.core.json.JsonObject;

/** A strategy as the host drives it: params with their defaults and checked, then one decision per request. */
final class Strategies {

  private Strategies() {
  }

  static Fault fault(FaultStrategy strategy, JsonObject params) {
    return strategy.create(StrategyParams.of(strategy, params), null);
  }

  static FaultRequest streaming() {
    return FaultRequest.builder().model("gpt-4o").stream(true).build();
  }

  static FaultRequest plain() {
    return FaultRequest.builder().model("gpt-4o").stream(false).build();
  }

  /** The event fault a streamed request gets; fails the test if the decision is anything else. */
  static EventFault events(FaultStrategy strategy, JsonObject params) {
    FaultDecision decision = fault(strategy, params).decide(streaming());
    return assertInstanceOf(FaultDecision.Events.class, decision, decision.toString()).fault();
  }

  static SseEvent chunk(int n) {
    return SseEvent.of(new JsonObject().put("id", "chatcmpl-1").put("choices", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("index", 0).put("delta", new JsonObject().put("content", "word" + n)))).encode());
  }
}
