package dev.faultline.plugins.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.faultline.plugin.api.FaultStrategy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ids are the public names users write in {@code faults[].strategy}: they must not drift. */
class StrategyIdsTest {

  @Test
  void eachStrategyHasItsDocumentedIdAndADescription() {
    List<FaultStrategy> all = List.of(new HttpErrorStrategy(), new RateLimitStrategy(), new LatencyStrategy(),
        new HangStrategy(), new StreamCutStrategy(), new StreamDripStrategy(), new StreamCorruptStrategy(),
        new StreamErrorStrategy(), new ConnectionResetStrategy());
    assertEquals(List.of("http-error", "rate-limit", "latency", "hang", "stream-cut", "stream-drip", "stream-corrupt",
        "stream-error", "connection-reset"), all.stream().map(FaultStrategy::id).toList());
    for (FaultStrategy strategy : all) {
      assertFalse(strategy.description().isBlank(), strategy.id());
    }
  }
}
