package dev.faultline.cache;

import dev.faultline.plugin.api.Headers;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads of the {@code cache_entries} table, and the one mapping between its rows and
 * {@link CacheEntry} (both ways: {@link #row} is what {@link CacheWriter}, the only writer,
 * stores). Every statement runs on a worker thread of the pool.
 */
final class CacheStore {

  static final String COLUMNS = "key, proxy_id, tenant, request_digest, model, path, status, headers, body, events, "
      + "created_at";
  /** A new entry, or one stored again under its key: every column replaced, as a fresh entry's. */
  static final String UPSERT = "INSERT INTO cache_entries (" + COLUMNS + ", size, hits, lru) "
      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT (key) DO UPDATE SET "
      + "proxy_id = excluded.proxy_id, tenant = excluded.tenant, request_digest = excluded.request_digest, "
      + "model = excluded.model, path = excluded.path, status = excluded.status, headers = excluded.headers, "
      + "body = excluded.body, events = excluded.events, created_at = excluded.created_at, size = excluded.size, "
      + "hits = 0, last_hit_at = NULL, lru = excluded.lru";

  private final Pool pool;

  CacheStore(Pool pool) {
    this.pool = pool;
  }

  Future<Optional<CacheEntry>> find(String key) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM cache_entries WHERE key = ?").execute(Tuple.of(key))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(entry(rows.iterator().next())));
  }

  /** Whole entries of a proxy in key order after {@code afterKey}, optionally of one tenant: a cassette's pages. */
  Future<List<CacheEntry>> page(String proxyId, String tenant, String afterKey, int limit) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM cache_entries WHERE proxy_id = ? AND key > ? "
            + "AND (CAST(? AS TEXT) IS NULL OR tenant = ?) ORDER BY key LIMIT ?")
        .execute(Tuple.of(proxyId, afterKey, tenant, tenant, limit))
        .map(CacheStore::entries);
  }

  /** One page of a proxy's entries as the admin API lists them, newest first, without bodies. */
  Future<JsonArray> list(String proxyId, int limit, int offset) {
    return pool.preparedQuery("SELECT key, model, path, status, CASE WHEN events IS NULL THEN 0 ELSE 1 END AS stream, size, hits, "
            + "created_at, last_hit_at, substr(body, 1, " + AnswerPreview.SCANNED_BYTES + ") AS head "
            + "FROM cache_entries WHERE proxy_id = ? ORDER BY created_at DESC, key LIMIT ? OFFSET ?")
        .execute(Tuple.of(proxyId, limit, offset))
        .map(rows -> {
          JsonArray entries = new JsonArray();
          for (Row row : rows) {
            entries.add(new JsonObject()
                .put("key", row.getString("key"))
                .put("model", row.getString("model"))
                .put("path", row.getString("path"))
                .put("status", row.getInteger("status"))
                .put("stream", row.getInteger("stream") != 0)
                .put("size", row.getLong("size"))
                .put("preview", AnswerPreview.of(blob(row.getValue("head")).toString(StandardCharsets.UTF_8)))
                .put("hits", row.getLong("hits"))
                .put("created_at", Instant.ofEpochMilli(row.getLong("created_at")).toString())
                .put("last_hit_at", row.getLong("last_hit_at") == null ? null
                    : Instant.ofEpochMilli(row.getLong("last_hit_at")).toString()));
          }
          return entries;
        });
  }

  /** {@code entries}, {@code bytes} and stored {@code hits} of a proxy. */
  Future<JsonObject> totals(String proxyId) {
    return pool.preparedQuery("SELECT COUNT(*) AS entries, COALESCE(SUM(size), 0) AS bytes, "
            + "COALESCE(SUM(hits), 0) AS hits FROM cache_entries WHERE proxy_id = ?")
        .execute(Tuple.of(proxyId))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new JsonObject().put("entries", row.getLong("entries")).put("bytes", row.getLong("bytes"))
              .put("hits", row.getLong("hits"));
        });
  }

  /** The values of {@link #UPSERT} for {@code entry}, last used at {@code lru}. */
  static Tuple row(CacheEntry entry, long lru) {
    JsonArray headers = new JsonArray();
    entry.headers().forEach((name, value) -> headers.add(new JsonArray().add(name).add(value)));
    JsonArray events = null;
    if (entry.stream()) {
      events = new JsonArray();
      for (CacheEntry.Event event : entry.events()) {
        events.add(new JsonArray().add(event.end()).add(event.atMillis()));
      }
    }
    return Tuple.of(entry.key(), entry.proxyId(), entry.tenant(), entry.digest(), entry.model(), entry.path(),
            entry.status(), headers.encode())
        // A byte[] binds as a BLOB; the pool's Buffer binding needs JDBC blobs, which SQLite lacks.
        .addValue(entry.body().getBytes())
        .addValue(events == null ? null : events.encode())
        .addValue(entry.createdAt())
        .addValue(entry.size())
        .addValue(lru);
  }

  private static List<CacheEntry> entries(RowSet<Row> rows) {
    List<CacheEntry> entries = new ArrayList<>(rows.size());
    rows.forEach(row -> entries.add(entry(row)));
    return entries;
  }

  private static CacheEntry entry(Row row) {
    Headers.Builder headers = Headers.builder();
    new JsonArray(row.getString("headers")).forEach(field -> {
      JsonArray pair = (JsonArray) field;
      headers.add(pair.getString(0), pair.getString(1));
    });
    String eventsJson = row.getString("events");
    List<CacheEntry.Event> events = null;
    if (eventsJson != null) {
      events = new ArrayList<>();
      for (Object event : new JsonArray(eventsJson)) {
        JsonArray pair = (JsonArray) event;
        events.add(new CacheEntry.Event(pair.getInteger(0), pair.getLong(1)));
      }
      events = List.copyOf(events);
    }
    return new CacheEntry(row.getString("key"), row.getString("proxy_id"), row.getString("tenant"),
        row.getString("request_digest"), row.getString("model"), row.getString("path"), row.getInteger("status"),
        headers.build(), blob(row.getValue("body")), events, row.getLong("created_at"));
  }

  /** A BLOB's bytes, as the pool returns them; SQLite gives an empty BLOB back as NULL. */
  static Buffer blob(Object value) {
    return value instanceof Buffer buffer ? buffer
        : value instanceof byte[] bytes ? Buffer.buffer(bytes) : Buffer.buffer();
  }
}
