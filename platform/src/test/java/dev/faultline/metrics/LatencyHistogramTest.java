package dev.faultline.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/** Percentiles of the latency histogram against the exact ones of known distributions. */
class LatencyHistogramTest {

  private static final double[] QUANTILES = {0.01, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999};

  @Test
  void uniformIntegersGiveTheirOwnPercentiles() {
    LatencyHistogram histogram = new LatencyHistogram();
    for (int ms = 1; ms <= 10_000; ms++) {
      histogram.record(ms);
    }
    assertWithin(5_000, histogram.percentile(0.50), "p50 of 1..10000");
    assertWithin(9_500, histogram.percentile(0.95), "p95 of 1..10000");
    assertWithin(9_900, histogram.percentile(0.99), "p99 of 1..10000");
    assertEquals(10_000, histogram.count());
  }

  @Test
  void skewedAndMultiModalDistributionsMatchTheExactPercentiles() {
    Random random = new Random(42);
    compare("exponential, mean 50 ms", () -> -50 * Math.log(1 - random.nextDouble()));
    compare("log-normal around 200 ms", () -> Math.exp(Math.log(200) + 0.8 * random.nextGaussian()));
    compare("bimodal: cache hits at 0.3 ms, calls at 900 ms",
        () -> random.nextDouble() < 0.7 ? 0.3 + 0.05 * random.nextDouble() : 900 + 300 * random.nextGaussian());
    compare("sub-millisecond", () -> 0.02 + 0.5 * random.nextDouble());
  }

  @Test
  void aConstantIsReportedAsItself() {
    LatencyHistogram histogram = new LatencyHistogram();
    for (int i = 0; i < 1000; i++) {
      histogram.record(123.4);
    }
    for (double q : QUANTILES) {
      assertWithin(123.4, histogram.percentile(q), "q" + q);
    }
  }

  @Test
  void mergedHistogramsEqualOneOfEverythingAndSurviveJson() {
    Random random = new Random(7);
    LatencyHistogram all = new LatencyHistogram();
    LatencyHistogram merged = new LatencyHistogram();
    for (int part = 0; part < 5; part++) {
      LatencyHistogram piece = new LatencyHistogram();
      for (int i = 0; i < 2_000; i++) {
        double ms = part * 400 + 1_000 * random.nextDouble();
        piece.record(ms);
        all.record(ms);
      }
      merged.merge(LatencyHistogram.fromJson(piece.toJson()));
    }
    assertEquals(all.count(), merged.count());
    for (double q : QUANTILES) {
      assertEquals(all.percentile(q), merged.percentile(q), "q" + q);
    }
  }

  @Test
  void mergingKeepsSubMicrosecondSamplesAsZeros() {
    LatencyHistogram tiny = new LatencyHistogram();
    tiny.record(0.0005);
    tiny.record(0.0009);
    tiny.record(0);
    LatencyHistogram merged = new LatencyHistogram();
    merged.record(50);
    merged.merge(LatencyHistogram.fromJson(tiny.toJson()));
    assertEquals(4, merged.count());
    assertEquals(0, merged.percentile(0.75), "three of four are below a microsecond");
    assertWithin(50, merged.percentile(1), "the largest");
    assertEquals(3, merged.countAtOrBelow(0.5));
    assertEquals(4, merged.countAtOrBelow(60));
  }

  @Test
  void aMicrosecondIsTheSmallestValueRecordedAsItself() {
    LatencyHistogram histogram = new LatencyHistogram();
    histogram.record(0.001);
    assertWithin(0.001, histogram.percentile(0.5), "1 µs");
    assertEquals(0, histogram.countAtOrBelow(0.0005));
  }

  @Test
  void emptyHasNoPercentileAndZerosCount() {
    LatencyHistogram histogram = new LatencyHistogram();
    assertTrue(Double.isNaN(histogram.percentile(0.5)));
    histogram.record(0);
    histogram.record(0);
    histogram.record(10);
    assertEquals(0, histogram.percentile(0.5));
    assertEquals(2, histogram.countAtOrBelow(1));
    assertEquals(3, histogram.countAtOrBelow(11));
  }

  private static void compare(String name, DoubleSupplier distribution) {
    int n = 100_000;
    double[] values = new double[n];
    LatencyHistogram histogram = new LatencyHistogram();
    for (int i = 0; i < n; i++) {
      values[i] = Math.max(0.001, distribution.getAsDouble());
      histogram.record(values[i]);
    }
    Arrays.sort(values);
    for (double q : QUANTILES) {
      double exact = values[(int) Math.ceil(q * n) - 1];
      assertWithin(exact, histogram.percentile(q), name + " q" + q);
    }
  }

  /** Within the histogram's promise (1%), with a hair of room for the floating-point bucket edges. */
  private static void assertWithin(double exact, double reported, String what) {
    double error = Math.abs(reported - exact) / exact;
    assertTrue(error <= LatencyHistogram.RELATIVE_ACCURACY * 1.001, what + ": exact " + exact + ", reported " + reported
        + " (" + String.format("%.3f", error * 100) + "% off)");
  }
}
