package dev.faultline.store;

import dev.faultline.proxy.ProxyDefinition;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The proxies table. */
public final class ProxyStore {

  private static final String COLUMNS = "id, name, provider, upstream, port, status, options, require_api_key, created_at, updated_at";

  private final Pool pool;

  public ProxyStore(Database database) {
    this.pool = database.pool();
  }

  public Future<List<ProxyDefinition>> list() {
    return pool.query("SELECT " + COLUMNS + " FROM proxies ORDER BY created_at, name").execute()
        .map(ProxyStore::toDefinitions);
  }

  public Future<Optional<ProxyDefinition>> find(String id) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM proxies WHERE id = ?").execute(Tuple.of(id))
        .map(rows -> toDefinitions(rows).stream().findFirst());
  }

  public Future<Void> insert(ProxyDefinition proxy) {
    return pool.preparedQuery("INSERT INTO proxies (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .execute(Tuple.of(proxy.id(), proxy.name(), proxy.provider(), proxy.upstream(), proxy.port(),
            status(proxy), proxy.options().encode(), proxy.requireApiKey(), proxy.createdAt().toString(), proxy.updatedAt().toString()))
        .mapEmpty();
  }

  public Future<Void> update(ProxyDefinition proxy) {
    return pool.preparedQuery("UPDATE proxies SET name = ?, provider = ?, upstream = ?, port = ?, status = ?, "
            + "options = ?, require_api_key = ?, updated_at = ? WHERE id = ?")
        .execute(Tuple.of(proxy.name(), proxy.provider(), proxy.upstream(), proxy.port(), status(proxy),
            proxy.options().encode(), proxy.requireApiKey(), proxy.updatedAt().toString(), proxy.id()))
        .mapEmpty();
  }

  public Future<Boolean> delete(String id) {
    return pool.preparedQuery("DELETE FROM proxies WHERE id = ?").execute(Tuple.of(id))
        .map(rows -> rows.rowCount() > 0);
  }

  private static String status(ProxyDefinition proxy) {
    return proxy.running() ? "running" : "stopped";
  }

  private static List<ProxyDefinition> toDefinitions(RowSet<Row> rows) {
    List<ProxyDefinition> proxies = new ArrayList<>(rows.size());
    for (Row row : rows) {
      proxies.add(new ProxyDefinition(
          row.getString("id"),
          row.getString("name"),
          row.getString("provider"),
          row.getString("upstream"),
          row.getInteger("port"),
          "running".equals(row.getString("status")),
          new JsonObject(row.getString("options")),
          row.getInteger("require_api_key") != 0,
          Instant.parse(row.getString("created_at")),
          Instant.parse(row.getString("updated_at"))));
    }
    return proxies;
  }
}
