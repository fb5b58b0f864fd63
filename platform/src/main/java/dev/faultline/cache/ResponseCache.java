package dev.faultline.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.faultline.proxy.request.InterceptorFactory;
import dev.faultline.store.Database;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response cache of every proxy: entries in SQLite behind an in-memory front bounded by
 * bytes, so a hot hit touches neither the disk nor the database pool. Deployed once, before the
 * proxies, and stopped after them (an answer still arriving is handed over only at its end); its
 * start loads the installation's key secret, its stop writes what is pending.
 * Thread-safe: every proxy's event loops use it at once.
 */
public final class ResponseCache extends VerticleBase {

  /** Largest answer kept; a bigger one is relayed and counted as {@code too_big}. */
  static final long MAX_ENTRY_BYTES = 16L * 1024 * 1024;
  /** Memory the front may hold, all proxies together. */
  static final long MEMORY_BYTES = 64L * 1024 * 1024;
  /** Bookkeeping an entry costs in memory beyond its body, roughly. */
  private static final int ENTRY_OVERHEAD = 512;
  private static final long LOG_EVERY_MS = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(ResponseCache.class);

  private final Database database;
  private final Pool pool;
  private final CacheStore store;
  private final Cache<String, CacheEntry> front;
  private final Coalescer coalescer = new Coalescer();
  private final CacheInvalidations invalidations = new CacheInvalidations();
  private final Map<String, CacheCounters> counters = new ConcurrentHashMap<>();
  /** Bumped by every invalidation, so a read that raced one does not put a stale entry in front. */
  private final AtomicLong generation = new AtomicLong();
  private final AtomicLong lastLookupWarning = new AtomicLong();
  private volatile CacheKeys keys;
  private volatile Pool writerPool;
  private volatile CacheWriter writer;

  public ResponseCache(Database database) {
    this.database = database;
    this.pool = database.pool();
    this.store = new CacheStore(pool);
    this.front = Caffeine.newBuilder()
        .maximumWeight(MEMORY_BYTES)
        .<String, CacheEntry>weigher((key, entry) -> (int) Math.min(Integer.MAX_VALUE, entry.size() + ENTRY_OVERHEAD))
        .build();
  }

  @Override
  public Future<?> start() {
    writerPool = writerPool(vertx, database);
    return invalidations.follow(vertx, this::dropFromFront, this::dropProxyFromFront)
        .compose(v -> secret())
        .compose(secret -> pool.query("SELECT COALESCE(MAX(lru), 0) AS last FROM cache_entries").execute()
            .map(rows -> {
              keys = new CacheKeys(secret);
              writer = new CacheWriter(vertx, writerPool, database.kind(), rows.iterator().next().getLong("last"), this::counters,
                  this::evicted);
              return null;
            }));
  }

  @Override
  public Future<?> stop() {
    return (writer == null ? Future.succeededFuture() : writer.close()).eventually(writerPool::close);
  }

  /**
   * The writer's own connection to the database file, apart from the shared pool: one connection
   * is one writer, and no other code can leave it inside a transaction of its own.
   */
  static Pool writerPool(Vertx vertx, Database database) {
    return JDBCPool.pool(vertx, database.dedicatedDataSource(),
        new PoolOptions().setMaxSize(1).setName("faultline-cache-writer"));
  }

  /** The cache's pipeline step for each proxy whose {@code cache} block has it enabled. */
  public InterceptorFactory interceptors() {
    return (proxy, provider) -> {
      CacheSettings settings = CacheSettings.of(proxy.block(CacheSettings.NAME));
      if (!settings.enabled()) {
        return Optional.empty();
      }
      if (settings.limited()) {
        // Limits may have just been lowered: apply them now rather than at the next store.
        writer.enforce(proxy.id(), settings);
      }
      return Optional.of(new CacheInterceptor(this, proxy.id(), provider, settings));
    };
  }

  /** The installation's secret for tenant ids: made once, kept in the database, never exported. */
  private Future<byte[]> secret() {
    return vertx.executeBlocking(() -> {
          byte[] fresh = new byte[32];
          new SecureRandom().nextBytes(fresh);
          return fresh;
        })
        .compose(fresh -> writerPool.preparedQuery("INSERT INTO cache_secret (id, salt) VALUES (1, ?) ON CONFLICT (id) DO NOTHING")
            .execute(Tuple.of(fresh)))
        .compose(inserted -> pool.query("SELECT salt FROM cache_secret WHERE id = 1").execute())
        .map(rows -> CacheStore.blob(rows.iterator().next().getValue("salt")).getBytes());
  }

  Vertx vertx() {
    return vertx;
  }

  CacheKeys keys() {
    return keys;
  }

  CacheStore table() {
    return store;
  }

  CacheWriter writer() {
    return writer;
  }

  Coalescer coalescer() {
    return coalescer;
  }

  /** When the database last failed a lookup or a store of any proxy (epoch ms), 0 if never. */
  long lastErrorAt() {
    return counters.values().stream().mapToLong(CacheCounters::lastErrorAt).max().orElse(0);
  }

  /** When the cache's writer last wrote a batch (epoch ms), 0 if never. */
  long lastWrittenAt() {
    CacheWriter current = writer;
    return current == null ? 0 : current.lastWrittenAt();
  }

  /** Lookups and stores the database failed since start, all proxies together. */
  long errors() {
    return counters.values().stream().mapToLong(CacheCounters::errors).sum();
  }

  CacheCounters counters(String proxyId) {
    return counters.computeIfAbsent(proxyId, id -> new CacheCounters());
  }

  /**
   * The live entry for {@code key}, or {@code null}: from memory when it is there, else from the
   * database (then kept in memory). A database that fails counts as a miss: the request goes on.
   */
  Future<CacheEntry> lookup(String proxyId, String key, CacheSettings settings) {
    long now = System.currentTimeMillis();
    CacheEntry hot = front.getIfPresent(key);
    if (hot != null) {
      return Future.succeededFuture(settings.expired(hot.createdAt(), now) ? null : hot);
    }
    long seen = generation.get();
    return store.find(key)
        .map(found -> {
          CacheEntry entry = found.filter(e -> !settings.expired(e.createdAt(), now)).orElse(null);
          if (entry != null && generation.get() == seen) {
            front.put(key, entry);
          }
          return entry;
        })
        .otherwise(error -> {
          counters(proxyId).lookupFailed();
          long last = lastLookupWarning.get();
          if (now - last >= LOG_EVERY_MS && lastLookupWarning.compareAndSet(last, now)) {
            LOG.warn("Cache: lookups fail, requests go to the upstream (lookup_errors counts them): {}", error.toString());
          }
          return null;
        });
  }

  void store(CacheEntry entry, CacheSettings settings) {
    front.put(entry.key(), entry);
    writer.put(entry, settings);
  }

  void touch(CacheEntry entry) {
    writer.touch(entry.key(), System.currentTimeMillis());
  }

  /** Drops entries from memory once they are gone from the table, here and on the cluster's other nodes. */
  void evicted(Collection<String> keys) {
    dropFromFront(keys);
    invalidations.keysGone(keys);
  }

  void evictedProxy(String proxyId) {
    dropProxyFromFront(proxyId);
    invalidations.proxyCleared(proxyId);
  }

  private void dropFromFront(Collection<String> keys) {
    if (!keys.isEmpty()) {
      generation.incrementAndGet();
      front.invalidateAll(keys);
    }
  }

  private void dropProxyFromFront(String proxyId) {
    generation.incrementAndGet();
    front.asMap().values().removeIf(entry -> entry.proxyId().equals(proxyId));
  }
}
