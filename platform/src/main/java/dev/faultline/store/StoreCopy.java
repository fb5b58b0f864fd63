package dev.faultline.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Copies a SQLite installation's database into an empty PostgreSQL one ({@code faultline
 * migrate}): both schemas brought to the latest migration first, then every table of the file in
 * an order where a row's references already exist, all in one PostgreSQL transaction, so a
 * failure leaves nothing copied. Blocking JDBC: it runs from the command line, never on an event
 * loop.
 */
public final class StoreCopy {

  /** Flyway's own bookkeeping: each side keeps the history of its own migrations. */
  static final String HISTORY = "flyway_schema_history";
  private static final int BATCH = 500;

  private StoreCopy() {
  }

  /** What was copied: rows per table, in the order copied. */
  public record Copied(Map<String, Long> rows) {
    public long total() {
      return rows.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Why the copy did not happen, in words fit for one line; the password never appears. */
  public static final class CopyException extends RuntimeException {
    CopyException(String message) {
      super(message);
    }
  }

  /**
   * Copies {@code sqliteFile} into {@code target}, which must hold no rows yet.
   *
   * @throws CopyException naming the table, file or database at fault; nothing is then copied
   */
  public static Copied copy(Path sqliteFile, StoreLocation target) {
    if (target.kind() != StoreKind.POSTGRESQL) {
      throw new CopyException("the target must be a PostgreSQL database");
    }
    if (!Files.isRegularFile(sqliteFile)) {
      throw new CopyException("no SQLite file at " + sqliteFile.toAbsolutePath());
    }
    DataSource source = Database.dataSource(StoreLocation.sqlite(sqliteFile));
    migrate(source, StoreKind.SQLITE, "the SQLite file " + sqliteFile.toAbsolutePath());
    DataSource destination = Database.dataSource(target);
    if (destination instanceof PGSimpleDataSource pg) {
      // One multi-row INSERT per batch instead of a round trip per row.
      pg.setReWriteBatchedInserts(true);
    }
    migrate(destination, StoreKind.POSTGRESQL, target.toString());
    try (Connection from = source.getConnection(); Connection to = destination.getConnection()) {
      // One read transaction: a consistent snapshot of the file even if something writes to it.
      from.setAutoCommit(false);
      to.setAutoCommit(false);
      try {
        Copied copied = copyTables(from, to);
        to.commit();
        return copied;
      } catch (SQLException | RuntimeException e) {
        to.rollback();
        throw e;
      } finally {
        from.rollback();
      }
    } catch (SQLException e) {
      throw new CopyException("the copy failed, so nothing was copied: " + reason(e));
    }
  }

  private static void migrate(DataSource dataSource, StoreKind kind, String what) {
    try {
      Database.migrate(dataSource, kind);
    } catch (RuntimeException e) {
      throw new CopyException("cannot open or migrate " + what + ": " + reason(e));
    }
  }

  private static Copied copyTables(Connection from, Connection to) throws SQLException {
    List<String> tables = dependencyOrder(from);
    Map<String, Map<String, String>> targetColumns = new LinkedHashMap<>();
    for (String table : tables) {
      Map<String, String> columns = targetColumns(to, table);
      if (columns.isEmpty()) {
        throw new CopyException("the table '" + table + "' of the SQLite file is missing in PostgreSQL "
            + "(is the PostgreSQL schema from another Faultline version?)");
      }
      targetColumns.put(table, columns);
    }
    List<String> holding = new ArrayList<>();
    for (String table : tables) {
      try (Statement statement = to.createStatement();
           ResultSet any = statement.executeQuery("SELECT 1 FROM " + quote(table) + " LIMIT 1")) {
        if (any.next()) {
          holding.add(table);
        }
      }
    }
    if (!holding.isEmpty()) {
      throw new CopyException("the PostgreSQL database already holds rows in " + String.join(", ", holding)
          + "; migrate copies only into an empty Faultline database");
    }
    Map<String, Long> rows = new LinkedHashMap<>();
    for (String table : tables) {
      rows.put(table, copyTable(from, to, table, targetColumns.get(table)));
    }
    resetSequences(to, tables);
    return new Copied(rows);
  }

  /** The file's tables, each after the tables its foreign keys name. */
  static List<String> dependencyOrder(Connection from) throws SQLException {
    Map<String, TreeSet<String>> references = new TreeMap<>();
    try (Statement statement = from.createStatement();
         ResultSet names = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' "
             + "AND name NOT LIKE 'sqlite_%' AND name <> '" + HISTORY + "' ORDER BY name")) {
      while (names.next()) {
        references.put(names.getString(1), new TreeSet<>());
      }
    }
    for (Map.Entry<String, TreeSet<String>> table : references.entrySet()) {
      try (Statement statement = from.createStatement();
           ResultSet keys = statement.executeQuery("PRAGMA foreign_key_list(" + quote(table.getKey()) + ")")) {
        while (keys.next()) {
          String referenced = keys.getString("table");
          if (!referenced.equals(table.getKey())) {
            table.getValue().add(referenced);
          }
        }
      }
    }
    List<String> ordered = new ArrayList<>();
    while (ordered.size() < references.size()) {
      String next = references.entrySet().stream()
          .filter(table -> !ordered.contains(table.getKey()))
          .filter(table -> table.getValue().stream().allMatch(r -> ordered.contains(r) || !references.containsKey(r)))
          .map(Map.Entry::getKey)
          .findFirst()
          .orElseThrow(() -> new CopyException("the SQLite file's foreign keys form a cycle among "
              + references.keySet().stream().filter(t -> !ordered.contains(t)).toList()));
      ordered.add(next);
    }
    return ordered;
  }

  /** The PostgreSQL table's columns and their types ({@code information_schema} spelling); empty when missing. */
  private static Map<String, String> targetColumns(Connection to, String table) throws SQLException {
    Map<String, String> columns = new LinkedHashMap<>();
    try (PreparedStatement statement = to.prepareStatement("SELECT column_name, data_type FROM "
        + "information_schema.columns WHERE table_schema = current_schema() AND table_name = ?")) {
      statement.setString(1, table);
      try (ResultSet result = statement.executeQuery()) {
        while (result.next()) {
          columns.put(result.getString(1), result.getString(2));
        }
      }
    }
    return columns;
  }

  private static long copyTable(Connection from, Connection to, String table, Map<String, String> target)
      throws SQLException {
    List<String> columns = new ArrayList<>();
    try (Statement statement = from.createStatement();
         ResultSet info = statement.executeQuery("PRAGMA table_info(" + quote(table) + ")")) {
      while (info.next()) {
        columns.add(info.getString("name"));
      }
    }
    for (String column : columns) {
      if (!target.containsKey(column)) {
        throw new CopyException("the column '" + table + "." + column + "' of the SQLite file is missing in PostgreSQL");
      }
    }
    String list = String.join(", ", columns.stream().map(StoreCopy::quote).toList());
    String marks = String.join(", ", columns.stream().map(c -> "?").toList());
    long count = 0;
    try (Statement read = from.createStatement();
         ResultSet rows = read.executeQuery("SELECT " + list + " FROM " + quote(table));
         PreparedStatement write = to.prepareStatement("INSERT INTO " + quote(table) + " (" + list
             + ") VALUES (" + marks + ")")) {
      while (rows.next()) {
        for (int i = 0; i < columns.size(); i++) {
          bind(write, i + 1, rows, target.get(columns.get(i)));
        }
        write.addBatch();
        if (++count % BATCH == 0) {
          write.executeBatch();
        }
      }
      if (count % BATCH != 0) {
        write.executeBatch();
      }
    } catch (SQLException e) {
      // A batch's own message spells out the statement with its values; the next one says why.
      SQLException why = e.getNextException() != null ? e.getNextException() : e;
      throw new CopyException("copying the table '" + table + "' failed, so nothing was copied: "
          + firstLine(why.getMessage()));
    }
    return count;
  }

  /**
   * One value as the PostgreSQL column's type wants it: SQLite stores by value, not by column, so
   * each is read in the target's type (its BLOBs as BYTEA, its integers as BIGINT, INTEGER or — were
   * a column ever BOOLEAN — true for non-zero).
   */
  private static void bind(PreparedStatement write, int index, ResultSet rows, String type) throws SQLException {
    if (rows.getObject(index) == null) {
      write.setObject(index, null);
      return;
    }
    switch (type) {
      case "bytea" -> write.setBytes(index, rows.getBytes(index));
      case "bigint" -> write.setLong(index, rows.getLong(index));
      case "integer", "smallint" -> write.setInt(index, rows.getInt(index));
      case "double precision", "real", "numeric" -> write.setDouble(index, rows.getDouble(index));
      case "boolean" -> write.setBoolean(index, rows.getLong(index) != 0);
      default -> write.setString(index, rows.getString(index));
    }
  }

  /** Each identity column's sequence moved past the copied ids, so the next row gets a fresh one. */
  private static void resetSequences(Connection to, List<String> tables) throws SQLException {
    List<String[]> identities = new ArrayList<>();
    try (Statement statement = to.createStatement();
         ResultSet result = statement.executeQuery("SELECT table_name, column_name FROM information_schema.columns "
             + "WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')")) {
      while (result.next()) {
        identities.add(new String[] {result.getString(1), result.getString(2)});
      }
    }
    for (String[] identity : identities) {
      if (!tables.contains(identity[0])) {
        continue;
      }
      try (PreparedStatement statement = to.prepareStatement("SELECT setval(pg_get_serial_sequence(?, ?), "
          + "COALESCE(max(" + quote(identity[1]) + "), 0) + 1, false) FROM " + quote(identity[0]))) {
        statement.setString(1, quote(identity[0]));
        statement.setString(2, identity[1]);
        statement.execute();
      }
    }
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  /** The innermost message, on one line: Flyway and the driver wrap the useful part in several layers. */
  private static String reason(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return firstLine(root.getMessage() == null ? root.toString() : root.getMessage());
  }

  private static String firstLine(String message) {
    String text = message == null ? "" : message.strip();
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end).strip();
  }
}
