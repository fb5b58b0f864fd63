package dev.faultline.auth;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: failed sign-ins are counted per address and per account over a
 * sliding window; past the limit, further attempts are refused (429) until the oldest failure
 * leaves the window. A success does not clear the address's count: a guesser who owns one account
 * must not reset the limit with it.
 */
final class LoginLimiter {

  /** Past this many addresses and accounts counted, the ones with no failure left in the window are forgotten. */
  private static final int TIDY_ABOVE = 10_000;

  private final int perAccount;
  private final int perAddress;
  private final long windowMillis;
  private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

  LoginLimiter(int perAccount, int perAddress, long windowMillis) {
    this.perAccount = perAccount;
    this.perAddress = perAddress;
    this.windowMillis = windowMillis;
  }

  /** Seconds until an attempt is allowed again, empty when it is allowed now. */
  OptionalLong retryAfter(String address, String email) {
    long now = System.currentTimeMillis();
    long wait = Math.max(wait("ip:" + address, perAddress, now), wait("email:" + email, perAccount, now));
    return wait <= 0 ? OptionalLong.empty() : OptionalLong.of(Math.max(1, (wait + 999) / 1000));
  }

  void failed(String address, String email) {
    long now = System.currentTimeMillis();
    if (failures.size() > TIDY_ABOVE) {
      // Someone trying many addresses or emails must not make this grow without end.
      failures.values().removeIf(times -> {
        synchronized (times) {
          prune(times, now);
          return times.isEmpty();
        }
      });
    }
    add("ip:" + address, now);
    add("email:" + email, now);
  }

  void succeeded(String email) {
    failures.remove("email:" + email);
  }

  private long wait(String key, int limit, long now) {
    Deque<Long> times = failures.get(key);
    if (times == null) {
      return 0;
    }
    synchronized (times) {
      prune(times, now);
      return times.size() < limit ? 0 : times.peekFirst() + windowMillis - now;
    }
  }

  private void add(String key, long now) {
    Deque<Long> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (times) {
      prune(times, now);
      times.addLast(now);
    }
  }

  private void prune(Deque<Long> times, long now) {
    while (!times.isEmpty() && times.peekFirst() <= now - windowMillis) {
      times.removeFirst();
    }
  }
}
