package dev.faultline.faults;

import dev.faultline.plugin.api.FaultContext;
import dev.faultline.plugin.api.SharedCounter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Counter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counters one proxy's faults keep, as {@link FaultContext#counter} hands them out: on a
 * clustered Vert.x, Vert.x's cluster-wide counters (Hazelcast's, the same on every node);
 * otherwise in memory. Their names hold the proxy, a digest of its fault settings and the
 * entry's place, so every node that runs the same settings meets the same counters, and new
 * settings start from fresh ones.
 */
final class FaultCounters {

  private final Vertx vertx;
  private final String proxyId;
  private final String settings;
  private final Map<String, SharedCounter> counters = new ConcurrentHashMap<>();

  FaultCounters(Vertx vertx, String proxyId, String settings) {
    this.vertx = vertx;
    this.proxyId = proxyId;
    this.settings = settings;
  }

  boolean clustered() {
    return vertx.isClustered();
  }

  /** The context a strategy gets for one entry, whose counters are named within {@code scope}. */
  FaultContext context(String scope) {
    return new FaultContext() {
      @Override
      public Vertx vertx() {
        return vertx;
      }

      @Override
      public String proxyId() {
        return proxyId;
      }

      @Override
      public boolean clustered() {
        return FaultCounters.this.clustered();
      }

      @Override
      public SharedCounter counter(String name) {
        return FaultCounters.this.counter(scope + "." + name);
      }
    };
  }

  SharedCounter counter(String name) {
    return counters.computeIfAbsent(name, n -> clustered()
        ? new ClusterCounter(vertx, "faultline.faults." + proxyId + "." + digest(settings) + "." + n)
        : SharedCounter.inMemory());
  }

  /** A short digest of {@code text}, to name counters after settings without spelling them out. */
  static String digest(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One of Vert.x's cluster-wide counters, found once (a failed lookup is tried again next time). */
  private static final class ClusterCounter implements SharedCounter {
    private final Vertx vertx;
    private final String name;
    private volatile Future<Counter> counter;

    ClusterCounter(Vertx vertx, String name) {
      this.vertx = vertx;
      this.name = name;
    }

    private Future<Counter> counter() {
      Future<Counter> found = counter;
      if (found == null || found.failed()) {
        found = vertx.sharedData().getCounter(name);
        counter = found;
      }
      return found;
    }

    @Override
    public Future<Long> get() {
      return counter().compose(Counter::get);
    }

    @Override
    public Future<Boolean> compareAndSet(long expected, long value) {
      return counter().compose(c -> c.compareAndSet(expected, value));
    }

    @Override
    public Future<Long> addAndGet(long delta) {
      return counter().compose(c -> c.addAndGet(delta));
    }
  }
}
