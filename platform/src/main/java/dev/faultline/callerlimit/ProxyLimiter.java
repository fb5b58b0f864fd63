package dev.faultline.callerlimit;

import java.util.function.LongSupplier;

/**
 * One proxy's caller limits and their buckets, shared by every event loop serving the proxy and
 * kept across rebuilds of its pipeline while its {@code caller_limit} block stays the same.
 */
final class ProxyLimiter {

  /** Which limit refused a request. */
  enum Limit { CLIENT, API_KEY }

  /** A refused request: the limit it ran into and how long until that limit lets it in. */
  record Refusal(Limit limit, TokenBucket.Rate rate, long waitNanos) {
  }

  private final CallerLimitSettings settings;
  private final Buckets perClient;
  private final Buckets perKey;
  private final LongSupplier nanoClock;

  /** @param capacity callers remembered per limit (see {@link Buckets}) */
  ProxyLimiter(CallerLimitSettings settings, int capacity, LongSupplier nanoClock) {
    this.settings = settings;
    this.perClient = buckets(settings, settings.perClientRps(), capacity);
    this.perKey = buckets(settings, settings.perKeyRps(), capacity);
    this.nanoClock = nanoClock;
  }

  private static Buckets buckets(CallerLimitSettings settings, Double rps, int capacity) {
    return rps == null ? null : new Buckets(TokenBucket.Rate.of(rps, settings.burstFor(rps)), capacity);
  }

  CallerLimitSettings settings() {
    return settings;
  }

  boolean limitsKeys() {
    return perKey != null;
  }

  /**
   * Takes a token from the client's bucket and the key's; a request refused by one takes nothing
   * from the other.
   *
   * @param client the caller's address
   * @param key    the salted hash of the caller's API key, or {@code null} when it sent none
   * @return {@code null} when the request may go on
   */
  Refusal admit(String client, String key) {
    long now = nanoClock.getAsLong();
    TokenBucket clientBucket = null;
    if (perClient != null && client != null) {
      clientBucket = perClient.of(client, now);
      long wait = clientBucket.take(now);
      if (wait != TokenBucket.TAKEN) {
        return new Refusal(Limit.CLIENT, perClient.rate(), wait);
      }
    }
    if (perKey != null && key != null) {
      long wait = perKey.of(key, now).take(now);
      if (wait != TokenBucket.TAKEN) {
        if (clientBucket != null) {
          clientBucket.giveBack();
        }
        return new Refusal(Limit.API_KEY, perKey.rate(), wait);
      }
    }
    return null;
  }

  /** Callers remembered by each limit, for tests of the bound. */
  int clients() {
    return perClient == null ? 0 : perClient.size();
  }

  int keys() {
    return perKey == null ? 0 : perKey.size();
  }
}
