package dev.faultline.plugins.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.faultline.plugin.api.FaultDecision;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** hang: forever by default; for N seconds, then reset, continue or a 504. */
class HangStrategyTest {

  private final HangStrategy strategy = new HangStrategy();

  @Test
  void byDefaultItHangsForever() {
    assertInstanceOf(FaultDecision.Hang.class, decide(new JsonObject()));
    assertInstanceOf(FaultDecision.Hang.class, decide(new JsonObject().put("seconds", 0).put("then", "timeout")));
  }

  @Test
  void forNSecondsThenResetsTheConnectionByDefault() {
    FaultDecision.Delay delay = assertInstanceOf(FaultDecision.Delay.class, decide(new JsonObject().put("seconds", 2.5)));
    assertEquals(Duration.ofMillis(2500), delay.delay());
    assertInstanceOf(FaultDecision.Reset.class, delay.then());
  }

  @Test
  void thenContinueGoesOnToTheUpstream() {
    FaultDecision.Delay delay = assertInstanceOf(FaultDecision.Delay.class,
        decide(new JsonObject().put("seconds", 1).put("then", "continue")));
    assertEquals(Duration.ofSeconds(1), delay.delay());
    assertInstanceOf(FaultDecision.Pass.class, delay.then());
  }

  @Test
  void thenTimeoutAnswersOpenAis504() {
    FaultDecision.Delay delay = assertInstanceOf(FaultDecision.Delay.class,
        decide(new JsonObject().put("seconds", 0.001).put("then", "timeout")));
    assertEquals(Duration.ofMillis(1), delay.delay());
    FaultDecision.Respond answer = assertInstanceOf(FaultDecision.Respond.class, delay.then());
    assertEquals(504, answer.error().status());
    assertEquals("timeout", answer.error().code());
    assertEquals("Request timed out.", answer.error().message());
  }

  private FaultDecision decide(JsonObject params) {
    return Strategies.fault(strategy, params).decide(Strategies.plain());
  }
}
