package dev.faultline.callerlimit;

import dev.faultline.proxy.ProxyDefinition;
import dev.faultline.proxy.request.AcceptCheck;
import dev.faultline.proxy.request.AcceptCheckFactory;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The caller limit, as the composition root plugs it in: the {@code caller_limit} block and a
 * check each proxy runs at accept, right after the IP filter (which names the caller).
 *
 * <p>A proxy served by several event loops builds its check once per loop; they all share one
 * {@link ProxyLimiter}, so a caller's limit is the proxy's, whichever loop takes its connection.
 * The limiter also outlives pipeline rebuilds for other reasons (a PATCH of another block); a
 * changed {@code caller_limit} block starts afresh with full buckets. Limiters are held weakly:
 * once no pipeline uses one (the proxy was stopped, deleted, or its limit turned off), it goes.
 */
public final class CallerLimits {

  /** Callers each limit of a proxy remembers before idle ones are dropped (see {@link Buckets}). */
  static final int CAPACITY = 10_000;

  private final int capacity;
  private final LongSupplier nanoClock;
  private final ApiKeyHash keys = new ApiKeyHash();
  private final Map<String, WeakReference<ProxyLimiter>> byProxy = new ConcurrentHashMap<>();

  public CallerLimits() {
    this(CAPACITY, System::nanoTime);
  }

  CallerLimits(int capacity, LongSupplier nanoClock) {
    this.capacity = capacity;
    this.nanoClock = nanoClock;
  }

  /** The caller-limit check of each proxy whose {@code caller_limit} block is on. */
  public AcceptCheckFactory checks() {
    return (proxy, provider) -> {
      CallerLimitSettings settings = CallerLimitSettings.of(proxy.block(CallerLimitSettings.NAME));
      byProxy.values().removeIf(ref -> ref.get() == null);
      if (!settings.active()) {
        byProxy.remove(proxy.id());
        return Optional.empty();
      }
      return Optional.<AcceptCheck>of(new CallerLimit(limiterOf(proxy, settings), keys));
    };
  }

  private ProxyLimiter limiterOf(ProxyDefinition proxy, CallerLimitSettings settings) {
    ProxyLimiter[] made = new ProxyLimiter[1];
    byProxy.compute(proxy.id(), (id, ref) -> {
      ProxyLimiter existing = ref == null ? null : ref.get();
      made[0] = existing != null && existing.settings().equals(settings) ? existing
          : new ProxyLimiter(settings, capacity, nanoClock);
      return made[0] == existing ? ref : new WeakReference<>(made[0]);
    });
    return made[0];
  }
}
