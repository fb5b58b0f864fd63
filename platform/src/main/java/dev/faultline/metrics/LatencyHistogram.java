package dev.faultline.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A mergeable histogram of latencies in milliseconds with logarithmic buckets, each 2% wide
 * (as in DDSketch): any percentile it reports is within 1% of a value actually recorded at that
 * rank, whatever the distribution. Only the buckets between the smallest and the largest value
 * seen are allocated, so a window of similar latencies stays a few hundred bytes.
 */
final class LatencyHistogram {

  static final double RELATIVE_ACCURACY = 0.01;
  private static final double GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
  private static final double LOG_GAMMA = Math.log(GAMMA);
  /** Below a microsecond counts as zero; above a day is clamped to a day. */
  private static final double MIN_MS = 1e-3;
  private static final double MAX_MS = 86_400_000;

  private long[] counts = new long[0];
  private int offset;
  private long zeros;
  private long total;

  void record(double millis) {
    recordIndex(millis < MIN_MS ? Integer.MIN_VALUE : index(Math.min(millis, MAX_MS)), 1);
  }

  long count() {
    return total;
  }

  void merge(LatencyHistogram other) {
    zeros += other.zeros;
    total += other.zeros;
    for (int i = 0; i < other.counts.length; i++) {
      if (other.counts[i] != 0) {
        recordIndex(other.offset + i, other.counts[i]);
      }
    }
  }

  /** The value at quantile {@code q} (0 to 1) by nearest rank; NaN when empty. */
  double percentile(double q) {
    if (total == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = zeros;
    if (seen >= rank) {
      return 0;
    }
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return value(offset + i);
      }
    }
    return value(offset + counts.length - 1);
  }

  /** How many values were at most {@code millis} (to the bucket's accuracy), for cumulative buckets. */
  long countAtOrBelow(double millis) {
    long seen = zeros;
    for (int i = 0; i < counts.length && value(offset + i) <= millis; i++) {
      seen += counts[i];
    }
    return seen;
  }

  /** {@code {"z": zeros, "o": offset, "c": [counts]}}, for snapshots. */
  JsonObject toJson() {
    JsonArray values = new JsonArray();
    for (long c : counts) {
      values.add(c);
    }
    return new JsonObject().put("z", zeros).put("o", offset).put("c", values);
  }

  static LatencyHistogram fromJson(JsonObject json) {
    LatencyHistogram histogram = new LatencyHistogram();
    histogram.zeros = json.getLong("z", 0L);
    histogram.total = histogram.zeros;
    int from = json.getInteger("o", 0);
    JsonArray values = json.getJsonArray("c", new JsonArray());
    for (int i = 0; i < values.size(); i++) {
      long c = values.getLong(i);
      if (c > 0) {
        histogram.recordIndex(from + i, c);
      }
    }
    return histogram;
  }

  private void recordIndex(int index, long n) {
    total += n;
    if (index == Integer.MIN_VALUE) {
      zeros += n;
      return;
    }
    if (counts.length == 0) {
      counts = new long[8];
      offset = index - 4;
    } else if (index < offset || index >= offset + counts.length) {
      grow(index);
    }
    counts[index - offset] += n;
  }

  /** Widens the allocated range to take {@code index}, with some room beyond it. */
  private void grow(int index) {
    int low = Math.min(offset, index - 8);
    int high = Math.max(offset + counts.length, index + 9);
    long[] wider = new long[high - low];
    System.arraycopy(counts, 0, wider, offset - low, counts.length);
    counts = wider;
    offset = low;
  }

  /** Bucket {@code i} holds the values in (γ^(i-1), γ^i]. */
  private static int index(double millis) {
    return (int) Math.ceil(Math.log(millis) / LOG_GAMMA);
  }

  /** The bucket's value that is within the relative accuracy of everything in it. */
  private static double value(int index) {
    return 2 * Math.pow(GAMMA, index) / (GAMMA + 1);
  }
}
