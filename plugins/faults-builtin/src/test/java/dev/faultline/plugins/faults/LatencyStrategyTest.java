package dev.faultline.plugins.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.plugin.api.Fault;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each latency distribution, drawn many times from a seeded source: its range, centre and spread. */
class LatencyStrategyTest {

  private static final int DRAWS = 4000;
  private final LatencyStrategy strategy = new LatencyStrategy();

  @Test
  void fixedIsAlwaysTheSame() {
    assertEquals(List.of(250L), draws(new JsonObject().put("ms", 250)).stream().distinct().toList());
  }

  @Test
  void uniformSpreadsEvenlyBetweenItsBounds() {
    List<Long> delays = draws(new JsonObject().put("distribution", "uniform").put("min_ms", 100).put("max_ms", 300));
    assertTrue(delays.stream().allMatch(d -> d >= 100 && d <= 300));
    double mean = mean(delays);
    assertTrue(Math.abs(mean - 200) < 6, "mean " + mean); // sd of the mean: 57.7 / sqrt(4000) = 0.9
    assertTrue(delays.stream().filter(d -> d < 150).count() > DRAWS / 5, "the low quarter is hit");
  }

  @Test
  void normalCentresOnItsMeanWithItsSpread() {
    List<Long> delays = draws(new JsonObject().put("distribution", "normal").put("ms", 500).put("stddev_ms", 50));
    double mean = mean(delays);
    double sd = Math.sqrt(delays.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum() / delays.size());
    assertTrue(Math.abs(mean - 500) < 5, "mean " + mean);
    assertTrue(Math.abs(sd - 50) < 5, "standard deviation " + sd);
  }

  @Test
  void lognormalHasItsMedianAndALongRightTailWithinMax() {
    List<Long> delays = draws(new JsonObject().put("distribution", "lognormal").put("ms", 200).put("sigma", 1)
        .put("max_ms", 5000));
    List<Long> sorted = delays.stream().sorted().toList();
    long median = sorted.get(sorted.size() / 2);
    assertTrue(Math.abs(median - 200) < 20, "median " + median);
    assertTrue(mean(delays) > median * 1.3, "the mean sits right of the median: a long tail");
    assertTrue(sorted.get(sorted.size() - 1) <= 5000);
  }

  @Test
  void theSameSeedDrawsTheSameDelays() {
    JsonObject params = new JsonObject().put("distribution", "normal").put("ms", 300).put("stddev_ms", 100);
    assertEquals(draws(params), draws(params));
  }

  private List<Long> draws(JsonObject params) {
    Fault fault = strategy.create(StrategyParams.of(strategy, params), null);
    SplittableRandom random = new SplittableRandom(7);
    List<Long> delays = new ArrayList<>(DRAWS);
    for (int i = 0; i < DRAWS; i++) {
      FaultDecision decision = fault.decide(FaultRequest.builder().random(random.split()).build());
      delays.add(assertInstanceOf(FaultDecision.Delay.class, decision).delay().toMillis());
    }
    return delays;
  }

  private static double mean(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).average().orElseThrow();
  }
}
