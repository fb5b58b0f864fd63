package dev.faultline.plugins.faults;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.faultline.plugin.api.Fault;
import dev.faultline.plugin.api.FaultDecision;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ConnectionResetStrategyTest {

  @Test
  void everyRequestStreamedOrNotIsReset() {
    Fault fault = Strategies.fault(new ConnectionResetStrategy(), new JsonObject());
    assertInstanceOf(FaultDecision.Reset.class, fault.decide(Strategies.plain()));
    assertInstanceOf(FaultDecision.Reset.class, fault.decide(Strategies.streaming()));
  }
}
