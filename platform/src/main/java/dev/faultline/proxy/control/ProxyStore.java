package dev.faultline.proxy.control;

import dev.faultline.proxy.ProxyBlock;
import dev.faultline.proxy.ProxyBlocks;
import dev.faultline.proxy.ProxyDefinition;
import dev.faultline.store.Database;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The proxies table. */
public final class ProxyStore {

  private static final List<String> BASE_COLUMNS = List.of("id", "owner_id", "name", "provider", "upstream", "port", "status",
      "options", "require_api_key", "created_at", "updated_at");

  private final Pool pool;
  private final ProxyBlocks blocks;
  private final String columns;

  /** @param blocks the feature blocks, each kept in the column of its name */
  public ProxyStore(Database database, ProxyBlocks blocks) {
    this.pool = database.pool();
    this.blocks = blocks;
    List<String> all = new ArrayList<>(BASE_COLUMNS);
    blocks.all().forEach(b -> all.add(b.name()));
    this.columns = String.join(", ", all);
  }

  public Future<List<ProxyDefinition>> list() {
    return pool.query("SELECT " + columns + " FROM proxies ORDER BY created_at, name").execute()
        .map(this::toDefinitions);
  }

  /**
   * The other proxies (not {@code id}) that already have {@code name} or {@code port}: at most two
   * rows whatever the number of proxies, found by the two columns' unique indexes.
   */
  public Future<List<Claim>> claimsOn(String id, String name, int port) {
    return pool.preparedQuery("SELECT id, name, port FROM proxies WHERE id <> ? AND (name = ? OR port = ?)")
        .execute(Tuple.of(id, name, port))
        .map(rows -> {
          List<Claim> claims = new ArrayList<>();
          rows.forEach(row -> claims.add(new Claim(row.getString("id"), row.getString("name"), row.getInteger("port"))));
          return claims;
        });
  }

  /**
   * The lowest port from {@code from} on that no proxy has (it may lie past the end of a range:
   * the caller checks). One row, found in the port column's unique index: reading every port of
   * the range to pick one made creating the n-th proxy decode n rows.
   */
  public Future<Integer> firstFreePort(int from) {
    return pool.preparedQuery("SELECT MIN(candidate) AS port FROM ("
            + "SELECT CAST(? AS INTEGER) AS candidate WHERE NOT EXISTS (SELECT 1 FROM proxies WHERE port = ?) "
            + "UNION ALL SELECT p.port + 1 FROM proxies p WHERE p.port >= ? "
            + "AND NOT EXISTS (SELECT 1 FROM proxies q WHERE q.port = p.port + 1)) free")
        .execute(Tuple.of(from, from, from))
        .map(rows -> rows.iterator().next().getInteger("port"));
  }

  /** What a proxy holds that no other may have. */
  public record Claim(String id, String name, int port) {
  }

  public Future<Optional<ProxyDefinition>> find(String id) {
    return pool.preparedQuery("SELECT " + columns + " FROM proxies WHERE id = ?").execute(Tuple.of(id))
        .map(rows -> toDefinitions(rows).stream().findFirst());
  }

  public Future<Void> insert(ProxyDefinition proxy) {
    Tuple values = Tuple.of(proxy.id(), proxy.owner(), proxy.name(), proxy.provider(), proxy.upstream(), proxy.port(), status(proxy),
        proxy.options().encode(), proxy.requireApiKey() ? 1 : 0, proxy.createdAt().toString(), proxy.updatedAt().toString());
    blocks.all().forEach(b -> values.addValue(encode(proxy.block(b.name()))));
    String marks = String.join(", ", Collections.nCopies(values.size(), "?"));
    return pool.preparedQuery("INSERT INTO proxies (" + columns + ") VALUES (" + marks + ")").execute(values)
        .mapEmpty();
  }

  public Future<Void> update(ProxyDefinition proxy) {
    StringBuilder sql = new StringBuilder("UPDATE proxies SET name = ?, provider = ?, upstream = ?, port = ?, "
        + "status = ?, options = ?, require_api_key = ?, updated_at = ?");
    Tuple values = Tuple.of(proxy.name(), proxy.provider(), proxy.upstream(), proxy.port(), status(proxy),
        proxy.options().encode(), proxy.requireApiKey() ? 1 : 0, proxy.updatedAt().toString());
    for (ProxyBlock block : blocks.all()) {
      sql.append(", ").append(block.name()).append(" = ?");
      values.addValue(encode(proxy.block(block.name())));
    }
    return pool.preparedQuery(sql.append(" WHERE id = ?").toString()).execute(values.addValue(proxy.id()))
        .mapEmpty();
  }

  /** Gives every proxy without an owner (made before accounts existed) to {@code owner}. */
  public Future<Integer> adoptOrphans(String owner) {
    return pool.preparedQuery("UPDATE proxies SET owner_id = ? WHERE owner_id IS NULL").execute(Tuple.of(owner))
        .map(RowSet::rowCount);
  }

  public Future<Boolean> delete(String id) {
    return pool.preparedQuery("DELETE FROM proxies WHERE id = ?").execute(Tuple.of(id))
        .map(rows -> rows.rowCount() > 0);
  }

  private static String status(ProxyDefinition proxy) {
    return proxy.running() ? "running" : "stopped";
  }

  private static String encode(Object value) {
    return value == null ? null : Json.encode(value);
  }

  private List<ProxyDefinition> toDefinitions(RowSet<Row> rows) {
    List<ProxyDefinition> proxies = new ArrayList<>(rows.size());
    for (Row row : rows) {
      proxies.add(new ProxyDefinition(
          row.getString("id"),
          row.getString("owner_id"),
          row.getString("name"),
          row.getString("provider"),
          row.getString("upstream"),
          row.getInteger("port"),
          "running".equals(row.getString("status")),
          new JsonObject(row.getString("options")),
          row.getInteger("require_api_key") != 0,
          blockValues(row),
          Instant.parse(row.getString("created_at")),
          Instant.parse(row.getString("updated_at"))));
    }
    return proxies;
  }

  private JsonObject blockValues(Row row) {
    JsonObject values = new JsonObject();
    blocks.all().forEach(b -> values.put(b.name(), blocks.decode(b, row.getString(b.name()))));
    return values;
  }
}
