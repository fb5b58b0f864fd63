package dev.faultline.plugins.faults;

import dev.faultline.plugin.api.Fault;
import dev.faultline.plugin.api.FaultContext;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.FaultParamException;
import dev.faultline.plugin.api.FaultParams;
import dev.faultline.plugin.api.FaultStrategy;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;
import org.pf4j.Extension;

/**
 * Waits before the request goes upstream: a fixed delay, or one drawn from a uniform, normal or
 * log-normal distribution (the long tail real providers have), always within
 * {@code [min_ms, max_ms]}.
 */
@Extension
public class LatencyStrategy implements FaultStrategy {

  static final String DISTRIBUTION = "distribution";
  static final String MS = "ms";
  static final String MIN_MS = "min_ms";
  static final String MAX_MS = "max_ms";
  static final String STDDEV_MS = "stddev_ms";
  static final String SIGMA = "sigma";

  @Override
  public String id() {
    return "latency";
  }

  @Override
  public String description() {
    return "Delays the request before the upstream call: fixed, uniform, normal or log-normal";
  }

  @Override
  public List<FaultParam> params() {
    return List.of(
        FaultParam.choice(DISTRIBUTION, "how the delay is drawn", "fixed", "uniform", "normal", "lognormal")
            .withDefault("fixed"),
        FaultParam.integer(MS, "the delay (fixed), its mean (normal) or its median (lognormal), in ms")
            .withDefault(1000).withRange(0, 600_000),
        FaultParam.integer(MIN_MS, "shortest delay; the low end of uniform").withDefault(0).withRange(0, 600_000),
        FaultParam.integer(MAX_MS, "longest delay; the high end of uniform").withDefault(60_000).withRange(0, 600_000),
        FaultParam.integer(STDDEV_MS, "standard deviation of normal, in ms").withDefault(100).withRange(0, 600_000),
        FaultParam.number(SIGMA, "shape of lognormal: the spread of the log of the delay").withDefault(0.5)
            .withRange(0, 5));
  }

  @Override
  public void validate(FaultParams params) {
    if (params.getLong(MIN_MS) > params.getLong(MAX_MS)) {
      throw new FaultParamException(MIN_MS, "must not be above max_ms (" + params.getLong(MAX_MS) + ")");
    }
  }

  @Override
  public Fault create(FaultParams params, FaultContext context) {
    Distribution distribution = switch (params.getString(DISTRIBUTION)) {
      case "uniform" -> random -> params.getLong(MIN_MS) + random.nextDouble()
          * (params.getLong(MAX_MS) - params.getLong(MIN_MS));
      case "normal" -> random -> params.getLong(MS) + random.nextGaussian() * params.getLong(STDDEV_MS);
      case "lognormal" -> random -> params.getLong(MS) * Math.exp(random.nextGaussian() * params.getDouble(SIGMA));
      default -> random -> params.getLong(MS);
    };
    long min = params.getLong(MIN_MS);
    long max = params.getLong(MAX_MS);
    return request -> {
      long millis = Math.round(Math.max(min, Math.min(max, distribution.draw(request.random()))));
      return FaultDecision.delay(Duration.ofMillis(millis));
    };
  }

  @FunctionalInterface
  private interface Distribution {
    double draw(RandomGenerator random);
  }
}
