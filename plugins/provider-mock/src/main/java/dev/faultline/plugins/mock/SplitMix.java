package dev.faultline.plugins.mock;

/**
 * SplitMix64, written out rather than borrowed from the JDK: its output is fixed by this code
 * alone, so a mock answer stays the same across Java versions (recorded fixtures and caches
 * depend on that).
 */
final class SplitMix {

  private long state;

  SplitMix(long seed) {
    this.state = seed;
  }

  long nextLong() {
    long z = (state += 0x9E3779B97F4A7C15L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in {@code [0, bound)}; the modulo bias is far below anything a mock cares about. */
  int nextInt(int bound) {
    return (int) Math.floorMod(nextLong(), (long) bound);
  }

  /** Uniform in {@code [0, 1)}. */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }
}
