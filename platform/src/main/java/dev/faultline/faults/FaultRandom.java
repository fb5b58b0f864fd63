package dev.faultline.faults;

import java.util.SplittableRandom;

/**
 * Request {@code n}'s source of chance under a proxy's seed: its own generator, so faults on
 * several event loops never share one, and request {@code n} always draws the same numbers.
 */
final class FaultRandom {

  private FaultRandom() {
  }

  static SplittableRandom forRequest(long seed, long n) {
    return new SplittableRandom(mix(seed + n * 0x9E3779B97F4A7C15L));
  }

  /** SplitMix64's finalizer: neighbouring inputs give unrelated outputs. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
