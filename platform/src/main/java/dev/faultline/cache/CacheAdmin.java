package dev.faultline.cache;

import dev.faultline.proxy.ProxyException;
import dev.faultline.store.Paging;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * What the admin API does with a proxy's cache: list, invalidate, export and import. Every
 * change goes through the cache's one writer, after the stores queued before it.
 */
public final class CacheAdmin {

  /** A page of entries per cassette read: bounds memory while a large cache is exported. */
  private static final int EXPORT_PAGE = 64;

  private final ResponseCache cache;

  public CacheAdmin(ResponseCache cache) {
    this.cache = cache;
  }

  /** How long after the database last failed the cache {@code /healthz} still says so. */
  static final long ERROR_MEMORY_MS = 60_000;

  /**
   * The cache's part of {@code /healthz}: {@code {"database": "ok" | "failing", "errors"}};
   * failing after the database failed a lookup or a store, until a store succeeds again or a
   * minute has passed without another failure.
   */
  public JsonObject health() {
    return new JsonObject().put("database", healthy() ? "ok" : "failing").put("errors", cache.errors());
  }

  public boolean healthy() {
    long last = cache.lastErrorAt();
    return last == 0 || cache.lastWrittenAt() > last || System.currentTimeMillis() - last >= ERROR_MEMORY_MS;
  }

  /** A page of a proxy's entries (newest first), its totals and its counters since start. */
  public Future<JsonObject> describe(String proxyId, CacheSettings settings, int limit, int offset) {
    CacheStore store = cache.table();
    return cache.writer().flush()
        .compose(v -> Future.all(store.totals(proxyId), store.list(proxyId, limit, offset)))
        .map(both -> {
          JsonObject totals = both.resultAt(0);
          return new JsonObject()
              .put("proxy_id", proxyId)
              .put("settings", settings.toJson())
              .put("entries", totals.getLong("entries"))
              .put("bytes", totals.getLong("bytes"))
              .put("stored_hits", totals.getLong("hits"))
              .put("stats", cache.counters(proxyId).toJson())
              .put("limit", limit)
              .put("offset", offset)
              .put("items", both.resultAt(1));
        });
  }

  /** Deletes every entry of a proxy; answers how many there were. */
  public Future<Integer> clear(String proxyId) {
    return cache.writer()
        .submit(connection -> connection.preparedQuery("DELETE FROM cache_entries WHERE proxy_id = ?")
            .execute(Tuple.of(proxyId)).map(rows -> rows.rowCount()))
        .onSuccess(count -> cache.evictedProxy(proxyId));
  }

  /** Deletes one entry of a proxy; false when it has none with that key. */
  public Future<Boolean> remove(String proxyId, String key) {
    if (!CacheKeys.isKey(key)) {
      return Future.failedFuture(ProxyException.invalid("key", "must be a cache entry's key: 64 lower-case hex digits"));
    }
    return cache.writer()
        .submit(connection -> connection.preparedQuery("DELETE FROM cache_entries WHERE proxy_id = ? AND key = ?")
            .execute(Tuple.of(proxyId, key)).map(rows -> rows.rowCount() > 0))
        .onSuccess(deleted -> cache.evicted(List.of(key)));
  }

  /**
   * Writes a proxy's cache to {@code out} as a {@link Cassette}, page by page as it is read.
   *
   * @param apiKey when not null, only the entries of that key's tenant
   */
  public Future<Void> export(String proxyId, String provider, String proxyName, String apiKey, WriteStream<Buffer> out) {
    Cassette.Writer cassette = new Cassette.Writer();
    String tenant = apiKey == null ? null : cache.keys().tenantOf(apiKey);
    return cache.writer().flush()
        .compose(v -> out.write(cassette.header(provider, proxyName)))
        .compose(v -> {
          String[] afterKey = {""};
          return Paging.untilLast(() -> exportPage(proxyId, tenant, afterKey, cassette, out));
        })
        .compose(v -> out.write(cassette.trailer()));
  }

  /** Writes the page after {@code afterKey[0]} and moves it on; whether another page may follow. */
  private Future<Boolean> exportPage(String proxyId, String tenant, String[] afterKey, Cassette.Writer cassette,
                                     WriteStream<Buffer> out) {
    return cache.table().page(proxyId, tenant, afterKey[0], EXPORT_PAGE).compose(page -> {
      if (page.isEmpty()) {
        return Future.succeededFuture(false);
      }
      afterKey[0] = page.get(page.size() - 1).key();
      // Encoding (base64, hashing) of up to a page of large bodies is no work for an event loop.
      return cache.vertx().executeBlocking(() -> cassette.entries(page))
          .compose(out::write)
          .map(v -> page.size() == EXPORT_PAGE);
    });
  }

  /**
   * Imports a cassette into a proxy, all or nothing, in one transaction. The entries answer the
   * tenant of {@code apiKey} (callers who send that key), or callers without a key when it is
   * null: a cassette holds no tenant, so an import can never hand one tenant's answers to another
   * unless the importer says so. Entries count as stored now (their TTL starts now) and replace
   * any with the same key; the proxy's limits then apply as after any store.
   *
   * @return {@code imported} and {@code evicted} counts
   */
  public Future<JsonObject> importCassette(String proxyId, String provider, CacheSettings settings, String apiKey,
                                           Buffer file) {
    CacheKeys keys = cache.keys();
    return cache.vertx().executeBlocking(() -> {
      String tenant = keys.tenantOf(apiKey == null ? "" : apiKey);
      long now = System.currentTimeMillis();
      List<CacheEntry> entries = new ArrayList<>();
      for (Cassette.Recorded recorded : Cassette.read(file == null ? Buffer.buffer() : file, provider)) {
        entries.add(recorded.bind(keys.key(proxyId, tenant, recorded.digest()), proxyId, tenant, now));
      }
      return entries;
    }).compose(entries -> {
      List<Tuple> rows = new ArrayList<>(entries.size());
      long lru = cache.writer().reserve(entries.size());
      for (CacheEntry entry : entries) {
        rows.add(CacheStore.row(entry, lru++));
      }
      List<String> victims = new ArrayList<>();
      return cache.writer()
          .submit(connection -> (rows.isEmpty() ? Future.succeededFuture()
              : connection.preparedQuery(CacheStore.UPSERT).executeBatch(rows))
              .compose(v -> CacheWriter.evict(connection, proxyId, settings, victims)))
          .map(v -> {
            List<String> changed = new ArrayList<>(victims);
            entries.forEach(entry -> changed.add(entry.key()));
            cache.evicted(changed);
            return new JsonObject().put("imported", entries.size()).put("evicted", victims.size());
          });
    });
  }
}
