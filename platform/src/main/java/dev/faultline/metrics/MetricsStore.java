package dev.faultline.metrics;

import dev.faultline.store.Database;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code metrics_snapshots} table: each scope's rolling slots, so a restart keeps the windows. */
public final class MetricsStore {

  private final Pool pool;

  public MetricsStore(Database database) {
    this.pool = database.pool();
  }

  /** Saves {@code scopes} and forgets any other scope saved before. */
  Future<Void> save(Map<String, JsonObject> scopes, long now) {
    List<Object> values = new ArrayList<>(scopes.size() * 3);
    scopes.forEach((scope, data) -> {
      values.add(scope);
      values.add(now);
      values.add(data.encode());
    });
    // Single statements, no transaction: see LogStore#insert for why.
    Future<?> upsert = scopes.isEmpty() ? Future.succeededFuture() : pool.preparedQuery(
        "INSERT INTO metrics_snapshots (scope, saved_at, data) VALUES "
            + String.join(", ", Collections.nCopies(scopes.size(), "(?, ?, ?)"))
            + " ON CONFLICT (scope) DO UPDATE SET saved_at = excluded.saved_at, data = excluded.data")
        .execute(Tuple.wrap(values));
    return upsert.compose(v -> pool.preparedQuery("DELETE FROM metrics_snapshots WHERE saved_at < ?")
        .execute(Tuple.of(now))).mapEmpty();
  }

  /** Every saved scope's slots, by scope. */
  Future<Map<String, JsonObject>> load() {
    return pool.query("SELECT scope, data FROM metrics_snapshots").execute().map(rows -> {
      Map<String, JsonObject> scopes = new LinkedHashMap<>();
      for (Row row : rows) {
        scopes.put(row.getString("scope"), new JsonObject(row.getString("data")));
      }
      return scopes;
    });
  }
}
