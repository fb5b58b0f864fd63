package dev.faultline.callerlimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The buckets on their own, against a clock the test moves. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TokenBucketTest {

  private static final long MS = 1_000_000;
  private static final long SECOND = 1_000 * MS;

  /** Near where nanoTime wraps: the bucket must only ever compare differences. */
  private static final long T0 = Long.MAX_VALUE - 2 * SECOND;

  @Test
  void aFullBucketLetsABurstThroughThenOneRequestPerInterval() {
    TokenBucket bucket = new TokenBucket(TokenBucket.Rate.of(10, 3), T0);
    for (int i = 0; i < 3; i++) {
      assertEquals(TokenBucket.TAKEN, bucket.take(T0), "request " + i + " of the burst");
    }
    assertEquals(100 * MS, bucket.take(T0), "the fourth waits one interval (1/10 s)");
    assertEquals(40 * MS, bucket.take(T0 + 60 * MS), "and less as time passes");
    assertEquals(TokenBucket.TAKEN, bucket.take(T0 + 100 * MS));
    assertEquals(100 * MS, bucket.take(T0 + 100 * MS), "a refused request took nothing: still one interval");
  }

  @Test
  void aQuietCallerSavesUpNoMoreThanTheBurst() {
    TokenBucket bucket = new TokenBucket(TokenBucket.Rate.of(10, 3), T0);
    long later = T0 + 3_600 * SECOND;
    int taken = 0;
    while (bucket.take(later) == TokenBucket.TAKEN) {
      taken++;
    }
    assertEquals(3, taken, "an hour of quiet is worth the burst, not 36 000 requests");
    assertTrue(!bucket.idle(later));
    assertTrue(bucket.idle(later + 300 * MS), "full again after three intervals");
  }

  @Test
  void overTimeTheCallerGetsTheRateAndTheBurst() {
    TokenBucket bucket = new TokenBucket(TokenBucket.Rate.of(20, 5), T0);
    int taken = 0;
    // Trying every millisecond for ten seconds.
    for (long t = 0; t < 10 * SECOND; t += MS) {
      if (bucket.take(T0 + t) == TokenBucket.TAKEN) {
        taken++;
      }
    }
    assertEquals(20 * 10 + 5 - 1, taken, "rate × time + burst (the last interval not yet over)");
  }

  @Test
  void aFractionalRateWaitsSeconds() {
    TokenBucket bucket = new TokenBucket(TokenBucket.Rate.of(0.5, 1), T0);
    assertEquals(TokenBucket.TAKEN, bucket.take(T0));
    assertEquals(2 * SECOND, bucket.take(T0));
  }

  @Test
  void aTokenGivenBackCanBeTakenAgain() {
    TokenBucket bucket = new TokenBucket(TokenBucket.Rate.of(1, 1), T0);
    assertEquals(TokenBucket.TAKEN, bucket.take(T0));
    bucket.giveBack();
    assertEquals(TokenBucket.TAKEN, bucket.take(T0));
  }

  @Test
  void threadsRacingForOneBucketGetExactlyTheBurst() throws Exception {
    TokenBucket bucket = new TokenBucket(TokenBucket.Rate.of(0.001, 50), T0);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> counts = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        counts.add(pool.submit(() -> {
          start.await();
          int taken = 0;
          for (int n = 0; n < 1_000; n++) {
            taken += bucket.take(T0) == TokenBucket.TAKEN ? 1 : 0;
          }
          return taken;
        }));
      }
      start.countDown();
      int total = 0;
      for (Future<Integer> count : counts) {
        total += count.get(10, TimeUnit.SECONDS);
      }
      assertEquals(50, total, "8 000 attempts at a frozen clock: never more, never fewer than the burst");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void idleCallersAreForgottenAtTheBoundAndAFloodCannotGrowMemory() {
    AtomicLong clock = new AtomicLong(T0);
    ProxyLimiter limiter = new ProxyLimiter(new CallerLimitSettings(true, 1.0, null, 2), 100, clock::get);
    // A runaway caller, mid-burst, among a flood of one-off addresses.
    assertNull(limiter.admit("10.0.0.1", null));
    assertNull(limiter.admit("10.0.0.1", null));
    for (int i = 0; i < 10_000; i++) {
      limiter.admit("192.0.2." + i, null);
      assertTrue(limiter.clients() <= 100, "remembered " + limiter.clients() + " callers, bound 100");
      clock.addAndGet(MS);
    }
    clock.addAndGet(10 * SECOND);
    for (int i = 0; i < 1_000; i++) {
      limiter.admit("198.51.100." + i, null);
      assertTrue(limiter.clients() <= 100, "remembered " + limiter.clients() + " callers, bound 100");
    }
  }

  @Test
  void aFloodOfCallersMidBurstCannotWashOutTheRunawaysDebt() {
    AtomicLong clock = new AtomicLong(T0);
    ProxyLimiter limiter = new ProxyLimiter(new CallerLimitSettings(true, 0.001, null, 2), 10, clock::get);
    assertNull(limiter.admit("10.0.0.1", null));
    assertNull(limiter.admit("10.0.0.1", null));
    // Each newcomer owes one interval (1000 s) and none is idle, so sweeps must drop callers who
    // are not full; the runaway owes the most and keeps its bucket.
    for (int i = 0; i < 100; i++) {
      limiter.admit("192.0.2." + i, null);
      assertTrue(limiter.clients() <= 10, "remembered " + limiter.clients() + " callers, bound 10");
      if (limiter.admit("10.0.0.1", null) == null) {
        throw new AssertionError("the runaway caller got a fresh bucket after " + (i + 1) + " newcomers");
      }
    }
  }

  @Test
  void aRequestRefusedForItsKeyTakesNothingFromItsAddress() {
    AtomicLong clock = new AtomicLong(T0);
    ProxyLimiter limiter = new ProxyLimiter(new CallerLimitSettings(true, 0.001, 0.001, 1), 100, clock::get);
    assertNull(limiter.admit("10.0.0.1", "key-a"));
    ProxyLimiter.Refusal byKey = limiter.admit("10.0.0.2", "key-a");
    assertEquals(ProxyLimiter.Limit.API_KEY, byKey.limit());
    assertNull(limiter.admit("10.0.0.2", "key-b"), "10.0.0.2's token was given back when its key was refused");
    assertEquals(ProxyLimiter.Limit.CLIENT, limiter.admit("10.0.0.2", "key-c").limit());
    assertNull(limiter.admit("10.0.0.3", null), "no key: only the address is limited");
  }
}
