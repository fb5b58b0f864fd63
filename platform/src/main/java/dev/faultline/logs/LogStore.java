package dev.faultline.logs;

import dev.faultline.store.Database;
import dev.faultline.store.StoreKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Reading the {@code log_entries} table, newest first; the {@link LogWriterVerticle} alone writes it. */
public final class LogStore {

  private static final LogField[] FIELDS = LogField.values();
  /**
   * REAL columns are read as text: the JDBC driver reports them as SQL REAL, which the pool
   * decodes to a Java float, and a float has too few digits for a cost.
   */
  private static final String SELECT = "SELECT id, " + Arrays.stream(FIELDS)
      .map(f -> f.kind() == LogField.Kind.REAL ? "CAST(" + f.key() + " AS TEXT) AS " + f.key() : f.key())
      .collect(Collectors.joining(", ")) + " FROM log_entries WHERE ";

  private final Pool pool;
  private final StoreKind kind;

  public LogStore(Database database) {
    this.pool = database.pool();
    this.kind = database.kind();
  }

  /** One page of entries and where the next one starts ({@code null} after the last). */
  public record Page(List<JsonObject> entries, LogQuery.Cursor next) {
  }

  /** Up to {@code limit} entries matching {@code query}, newest first, each with its row {@code id}. */
  public Future<Page> page(LogQuery query, int limit) {
    List<Object> args = new ArrayList<>();
    String sql = SELECT + query.where(kind, args) + " ORDER BY ts DESC, id DESC LIMIT ?";
    args.add(limit);
    return pool.preparedQuery(sql).execute(Tuple.wrap(args)).map(rows -> toPage(rows, limit));
  }

  private static Page toPage(RowSet<Row> rows, int limit) {
    List<JsonObject> entries = new ArrayList<>(rows.size());
    LogQuery.Cursor last = null;
    for (Row row : rows) {
      JsonObject entry = new JsonObject().put("id", row.getLong(0));
      for (int i = 0; i < FIELDS.length; i++) {
        entry.put(FIELDS[i].key(), FIELDS[i].fromColumn(row.getValue(i + 1)));
      }
      entries.add(entry);
      last = new LogQuery.Cursor(row.getLong(1), row.getLong(0));
    }
    return new Page(entries, entries.size() == limit ? last : null);
  }
}
