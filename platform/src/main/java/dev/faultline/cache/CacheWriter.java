package dev.faultline.cache;

import dev.faultline.store.StoreKind;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache's only writer to SQLite. Jobs run one at a time, in the order they were asked for,
 * each in its own transaction. New entries pile up in a batch while a job runs and go in together
 * with the next one, so a burst of misses costs one transaction and nobody on the request path
 * ever waits for a write. Hits only count and reorder entries: they wait up to
 * {@link #HIT_DELAY_MS} for a batch to ride in, so a stream of hits costs a few transactions a
 * second, not one per hit. After each batch, a proxy over its limits loses its least recently
 * used entries, and expired ones.
 *
 * <p>A failed batch is dropped, logged and counted: the cache fails open, requests never fail
 * because the disk is full or the database locked. Thread-safe.
 */
final class CacheWriter {

  private static final Logger LOG = LoggerFactory.getLogger(CacheWriter.class);
  static final long HIT_DELAY_MS = 500;

  private static final String TOUCH = "UPDATE cache_entries SET hits = hits + ?, last_hit_at = ?, lru = ? WHERE key = ?";
  private static final String VICTIMS = "SELECT key FROM (SELECT key, created_at, "
      + "ROW_NUMBER() OVER (ORDER BY lru DESC) AS rank, "
      + "SUM(size) OVER (ORDER BY lru DESC ROWS UNBOUNDED PRECEDING) AS running "
      + "FROM cache_entries WHERE proxy_id = ?) AS ranked WHERE rank > ? OR running > ? OR created_at <= ?";

  private final Vertx vertx;
  private final Pool pool;
  /** How a write transaction opens on this database. */
  private final String begin;
  private final Function<String, CacheCounters> counters;
  private final Consumer<List<String>> evicted;
  /** Order of use, for least-recently-used eviction; continues from the table's highest at start. */
  private long clock;
  private Future<Void> tail = Future.succeededFuture();
  private Batch pending;
  private boolean closed;
  private volatile long lastWrittenAt;

  /**
   * @param pool     the writer's own connection (see {@link ResponseCache#writerPool})
   * @param lastUse  the highest {@code lru} in the table
   * @param evicted  told the keys each batch evicted, once they are gone from the table
   */
  CacheWriter(Vertx vertx, Pool pool, StoreKind kind, long lastUse, Function<String, CacheCounters> counters,
              Consumer<List<String>> evicted) {
    this.vertx = vertx;
    this.pool = pool;
    this.begin = kind.beginWrite();
    this.clock = lastUse;
    this.counters = counters;
    this.evicted = evicted;
  }

  /** Stores {@code entry} (replacing any with its key), then holds its proxy to {@code settings}. */
  synchronized void put(CacheEntry entry, CacheSettings settings) {
    if (closed) {
      // An answer that ends after the cache stopped cannot be written any more; never lose it silently.
      counters.apply(entry.proxyId()).storesFailed(1);
      LOG.warn("Cache: an answer of proxy {} ended after the cache was stopped; it was served but not stored",
          entry.proxyId());
      return;
    }
    add(batch -> {
      batch.puts.put(entry.key(), CacheStore.row(entry, ++clock));
      batch.limits.put(entry.proxyId(), settings);
      batch.proxies.merge(entry.proxyId(), 1, Integer::sum);
    }, true);
  }

  /** Counts a hit on {@code key} at {@code now} (epoch ms) and marks it most recently used. */
  synchronized void touch(String key, long now) {
    add(batch -> batch.touches.merge(key, new long[] {1, now, ++clock},
        (a, b) -> new long[] {a[0] + b[0], b[1], b[2]}), false);
  }

  /** Holds a proxy to new limits now, not only at its next store. */
  synchronized void enforce(String proxyId, CacheSettings settings) {
    add(batch -> batch.limits.put(proxyId, settings), true);
  }

  /** Runs {@code job} in a transaction after everything asked for before it. */
  synchronized <T> Future<T> submit(Function<SqlConnection, Future<T>> job) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the cache is closed"));
    }
    Promise<T> result = Promise.promise();
    tail = tail.transform(previous -> pool.withConnection(connection -> transaction(connection, job))
        .onComplete(result).<Void>mapEmpty().otherwiseEmpty());
    return result.future();
  }

  /**
   * On SQLite, {@code BEGIN IMMEDIATE} takes the file's write lock up front, waiting out other writers for the
   * busy timeout. A deferred {@code BEGIN} takes it only at the first write, after reading a
   * snapshot, and fails with SQLITE_BUSY_SNAPSHOT whenever another connection (the log writer,
   * say) wrote in between. The statements are sent as they are, so the connection stays in JDBC
   * auto-commit mode and never holds the lock between jobs. (PostgreSQL's plain {@code BEGIN}: see
   * {@link StoreKind#beginWrite()}.)
   */
  private <T> Future<T> transaction(SqlConnection connection, Function<SqlConnection, Future<T>> job) {
    // A failed COMMIT rolls back too: the connection must never stay inside a transaction.
    return connection.query(begin).execute()
        .compose(begun -> job.apply(connection)
            .compose(value -> connection.query("COMMIT").execute().map(value))
            .recover(error -> connection.query("ROLLBACK").execute().transform(x -> Future.<T>failedFuture(error))));
  }

  /** Completes once everything asked for so far, hits included, is written (or has failed). */
  synchronized Future<Void> flush() {
    if (pending != null) {
      queue(pending);
    }
    return tail;
  }

  /** Writes what is pending, then refuses further work. */
  synchronized Future<Void> close() {
    Future<Void> written = flush();
    closed = true;
    return written;
  }

  /** Allocates {@code count} positions in the use order, newest last; for imports. */
  synchronized long reserve(int count) {
    clock += count;
    return clock - count + 1;
  }

  /**
   * Applies {@code change} to the pending batch, made when none is pending, and queues it now
   * ({@code urgent}) or within {@link #HIT_DELAY_MS}. Called under the lock. The batch is changed
   * before it is queued: its job may start at once, on this thread.
   */
  private void add(Consumer<Batch> change, boolean urgent) {
    if (closed) {
      return;
    }
    if (pending == null) {
      pending = new Batch();
    }
    Batch batch = pending;
    change.accept(batch);
    if (urgent) {
      queue(batch);
    } else if (!batch.timed) {
      batch.timed = true;
      vertx.setTimer(HIT_DELAY_MS, id -> {
        synchronized (this) {
          queue(batch);
        }
      });
    }
  }

  /** Puts {@code batch} in line once; when its turn comes it stops taking changes and is written. */
  private void queue(Batch batch) {
    if (batch.queued || closed) {
      return;
    }
    batch.queued = true;
    submit(connection -> {
      detach(batch);
      return batch.write(connection);
    }).onSuccess(victims -> {
      // Only new entries prove the database takes writes again: a full disk still takes updates in place.
      if (!batch.puts.isEmpty()) {
        lastWrittenAt = System.currentTimeMillis();
      }
      evicted.accept(victims);
    }).onFailure(error -> {
      // Also when its job never ran (no connection could be had while the file was locked): a
      // batch left pending, already queued, would swallow every later change unwritten.
      detach(batch);
      batch.failed(error);
    });
  }

  /** From now on changes go to a new batch. */
  private synchronized void detach(Batch batch) {
    if (pending == batch) {
      pending = null;
    }
  }

  /** When new entries were last written (epoch ms), 0 if never: one after a failure means recovered. */
  long lastWrittenAt() {
    return lastWrittenAt;
  }

  /** What piled up for one transaction. Filled under the writer's lock, written after it is detached. */
  private final class Batch {
    final Map<String, Tuple> puts = new LinkedHashMap<>();
    final Map<String, long[]> touches = new HashMap<>();
    final Map<String, CacheSettings> limits = new HashMap<>();
    final Map<String, Integer> proxies = new HashMap<>();
    boolean queued;
    boolean timed;

    Future<List<String>> write(SqlConnection connection) {
      Future<?> done = Future.succeededFuture();
      if (!puts.isEmpty()) {
        done = connection.preparedQuery(CacheStore.UPSERT).executeBatch(new ArrayList<>(puts.values()));
      }
      if (!touches.isEmpty()) {
        List<Tuple> rows = new ArrayList<>(touches.size());
        touches.forEach((key, t) -> rows.add(Tuple.of(t[0], t[1], t[2], key)));
        done = done.compose(v -> connection.preparedQuery(TOUCH).executeBatch(rows));
      }
      List<String> victims = new ArrayList<>();
      for (Map.Entry<String, CacheSettings> proxy : limits.entrySet()) {
        done = done.compose(v -> evict(connection, proxy.getKey(), proxy.getValue(), victims));
      }
      return done.map(v -> victims);
    }

    void failed(Throwable error) {
      proxies.forEach((proxyId, count) -> counters.apply(proxyId).storesFailed(count));
      LOG.warn("Cache: could not write {} entries and {} hit counts to the database; the requests were served and "
          + "the entries stay in memory only: {}", puts.size(), touches.size(), error.toString());
    }
  }

  /** Deletes what puts {@code proxyId} over its limits (least recently used first) or past its TTL. */
  static Future<Void> evict(SqlConnection connection, String proxyId, CacheSettings settings, List<String> victims) {
    if (!settings.limited()) {
      return Future.succeededFuture();
    }
    long expiredBefore = settings.ttlSeconds() == null ? Long.MIN_VALUE
        : System.currentTimeMillis() - settings.ttlSeconds() * 1000;
    Tuple query = Tuple.of(proxyId, settings.maxEntries() == null ? Long.MAX_VALUE : settings.maxEntries(),
        settings.maxBytes() == null ? Long.MAX_VALUE : settings.maxBytes(), expiredBefore);
    return connection.preparedQuery(VICTIMS).execute(query).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture();
      }
      List<Tuple> keys = new ArrayList<>(rows.size());
      for (Row row : rows) {
        victims.add(row.getString("key"));
        keys.add(Tuple.of(row.getString("key")));
      }
      return connection.preparedQuery("DELETE FROM cache_entries WHERE key = ?").executeBatch(keys).mapEmpty();
    });
  }
}
