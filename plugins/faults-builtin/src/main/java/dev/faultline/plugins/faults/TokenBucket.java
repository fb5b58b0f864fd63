package dev.faultline.plugins.faults;

/**
 * A per-minute limit as a token bucket: full at {@code limit}, refilled continuously at
 * {@code limit} per minute, so a burst of the whole limit is allowed and then one unit per
 * {@code 60 s / limit}. Not thread-safe: its owner synchronizes.
 */
final class TokenBucket {

  private final long limit;
  private final double perMilli;
  private double level;
  private long updatedMillis;

  TokenBucket(long limit, long nowMillis) {
    this.limit = limit;
    this.perMilli = limit / 60_000.0;
    this.level = limit;
    this.updatedMillis = nowMillis;
  }

  /** A bucket standing at {@code level} at {@code nowMillis} (a shared bucket's state, for its headers). */
  static TokenBucket at(long limit, double level, long nowMillis) {
    TokenBucket bucket = new TokenBucket(limit, nowMillis);
    bucket.level = Math.min(limit, level);
    return bucket;
  }

  long limit() {
    return limit;
  }

  /** Brings the level up to {@code nowMillis}. */
  void refill(long nowMillis) {
    if (nowMillis > updatedMillis) {
      level = Math.min(limit, level + (nowMillis - updatedMillis) * perMilli);
      updatedMillis = nowMillis;
    }
  }

  boolean has(long amount) {
    return level >= amount;
  }

  /** Takes {@code amount}, or all there is: an unenforced bucket is drawn on past empty, and shows 0. */
  void take(long amount) {
    level = Math.max(0, level - amount);
  }

  /** Whole units available now, as {@code x-ratelimit-remaining-*} shows them. */
  long remaining() {
    return (long) Math.floor(level);
  }

  /** Milliseconds until {@code amount} is available (0 when it is). */
  long millisUntil(long amount) {
    // Rounded up to the millisecond, less float noise: 20.000000001 ms of wait is 20 ms, not 21.
    return level >= amount ? 0 : (long) Math.ceil((amount - level) / perMilli - 1e-6);
  }

  /** Milliseconds until the bucket is full again, as {@code x-ratelimit-reset-*} shows it. */
  long millisUntilFull() {
    return millisUntil(limit);
  }
}
