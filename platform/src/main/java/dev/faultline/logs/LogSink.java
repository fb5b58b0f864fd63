package dev.faultline.logs;

import dev.faultline.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The log writer's own connection to the database file: every write to {@code log_entries}
 * (inserts and pruning) goes through it, one after another. Blocking: use it from one worker
 * thread at a time.
 *
 * <p>Why not the shared pool: a prepared batch on a plain JDBC connection writes several times
 * faster and with far less CPU than the pool's per-value decoding, and the log writer is the
 * busiest writer there is; and the pool cannot be trusted with transactions (a connection that
 * ran one is handed back inside a new one, whose stale snapshot then blocks every other writer).
 */
final class LogSink implements AutoCloseable {

  private static final int PRUNE_CHUNK = 5_000;
  private static final LogField[] FIELDS = LogField.values();
  /**
   * Rows per INSERT statement: SQLite spent about a fourth more CPU per row when each row was a
   * statement of its own (measured with a standalone insert loop: 4.1 against 3.2 µs a row).
   */
  static final int ROWS_PER_STATEMENT = 20;
  /**
   * Statements kept for groups of rows with different columns null in all their rows (see
   * {@link #insert}); a few cover a steady load, whose rows look alike.
   */
  static final int GROUP_SHAPES = 16;
  private static final String INSERT_ONE = insert(1, 0);

  private final DataSource source;
  /** Whether the database is SQLite, whose WAL this sink checkpoints itself (see {@link #checkpoint}). */
  private boolean sqlite;
  private Connection connection;
  private Connection checkpointer;
  private PreparedStatement insertOne;
  /** Multi-row INSERTs by the columns they leave out, least recently used first. */
  private final Map<Long, PreparedStatement> insertMany = new LinkedHashMap<>(GROUP_SHAPES * 2, 0.75f, true);

  private LogSink(DataSource source) throws SQLException {
    this.source = source;
    connect();
  }

  /** Opens the (already migrated) database file. */
  static LogSink open(Path file) throws SQLException {
    return open(Database.dedicatedDataSource(file));
  }

  /** Opens a connection of its own to the (already migrated) database, SQLite or PostgreSQL. */
  static LogSink open(DataSource source) throws SQLException {
    return new LogSink(source);
  }

  private void connect() throws SQLException {
    connection = source.getConnection();
    sqlite = "SQLite".equals(connection.getMetaData().getDatabaseProductName());
    if (sqlite) {
      // The WAL is copied back into the database by checkpoint(), beside the inserts, not by them.
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA wal_autocheckpoint = 0");
      }
    }
    connection.setAutoCommit(false);
    insertOne = connection.prepareStatement(INSERT_ONE);
    insertMany.clear();
  }

  /** An INSERT of {@code rows} rows of all columns but {@code omitted} (bits as in {@link LogEntry#nullColumns}). */
  static String insert(int rows, long omitted) {
    List<LogField> columns = Arrays.stream(FIELDS).filter(field -> (omitted & 1L << field.ordinal()) == 0).toList();
    String row = "(" + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
    return "INSERT INTO log_entries (" + columns.stream().map(LogField::key).collect(Collectors.joining(", "))
        + ") VALUES " + String.join(", ", Collections.nCopies(rows, row));
  }

  /**
   * The multi-row INSERT leaving out {@code omitted}, prepared once; beyond {@value #GROUP_SHAPES}
   * the least recently used is closed.
   */
  private PreparedStatement insertMany(long omitted) throws SQLException {
    PreparedStatement statement = insertMany.get(omitted);
    if (statement == null) {
      if (insertMany.size() >= GROUP_SHAPES) {
        var eldest = insertMany.entrySet().iterator();
        eldest.next().getValue().close();
        eldest.remove();
      }
      statement = connection.prepareStatement(insert(ROWS_PER_STATEMENT, omitted));
      insertMany.put(omitted, statement);
    }
    return statement;
  }

  /**
   * After a failed write the connection is dropped and the next write opens a new one (a
   * PostgreSQL connection may have been cut, too): SQLite
   * ends a transaction by itself on a full disk or an I/O error, and the JDBC connection, which
   * thinks it is still inside one, would then fail every write after the disk has room again.
   */
  private void disconnect() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // it is dropped for being broken
    }
    connection = null;
  }

  /**
   * Inserts the entries in one transaction, in their order: all of them, or none and an
   * exception. Whole groups of {@value #ROWS_PER_STATEMENT} go in one statement each, the rest
   * one by one. A group's statement leaves out the columns null in all its rows (SQLite then
   * stores NULL, as it would for a bound null): each bound value is a call into the driver and
   * SQLite, and a typical row has eight nulls of thirty columns.
   */
  void insert(List<LogEntry> entries) throws SQLException {
    if (connection == null) {
      connect();
    }
    try {
      int grouped = entries.size() - entries.size() % ROWS_PER_STATEMENT;
      PreparedStatement pending = null;
      long pendingOmits = 0;
      for (int start = 0; start < grouped; start += ROWS_PER_STATEMENT) {
        long omitted = -1L;
        for (int row = start; row < start + ROWS_PER_STATEMENT; row++) {
          omitted &= entries.get(row).nullColumns();
        }
        if (pending == null || omitted != pendingOmits) {
          // Groups are written in their order: what the last statement gathered goes first.
          if (pending != null) {
            pending.executeBatch();
          }
          pending = insertMany(omitted);
          pendingOmits = omitted;
        }
        int parameter = 1;
        for (int row = start; row < start + ROWS_PER_STATEMENT; row++) {
          parameter = entries.get(row).bind(pending, parameter, omitted);
        }
        pending.addBatch();
      }
      if (pending != null) {
        pending.executeBatch();
      }
      for (int row = grouped; row < entries.size(); row++) {
        entries.get(row).bind(insertOne, 1, 0);
        insertOne.addBatch();
      }
      if (grouped < entries.size()) {
        insertOne.executeBatch();
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      disconnect();
      throw e;
    }
  }

  /**
   * Copies what the inserts wrote to SQLite's WAL back into the database file, on a connection of
   * its own, so it may run on another thread while the inserts go on: done by the inserting
   * connection itself (SQLite's default, every 1,000 pages) it took about a tenth of the log
   * writer's time. Passive: it never waits for a reader or a writer. Nothing to do on PostgreSQL.
   * Not to be called twice at once.
   */
  void checkpoint() throws SQLException {
    if (!sqlite) {
      return;
    }
    if (checkpointer == null) {
      checkpointer = source.getConnection();
    }
    try (Statement statement = checkpointer.createStatement()) {
      statement.execute("PRAGMA wal_checkpoint(PASSIVE)");
    } catch (SQLException e) {
      checkpointer.close();
      checkpointer = null;
      throw e;
    }
  }

  /** Deletes the entries older than {@code ts} (epoch ms); the count deleted. */
  long pruneOlderThan(long ts) throws SQLException {
    return deleteInChunks("DELETE FROM log_entries WHERE id IN (SELECT id FROM log_entries WHERE ts < ? LIMIT "
        + PRUNE_CHUNK + ")", ts);
  }

  /** Deletes all but the newest {@code keep} entries (by insertion order); the count deleted. */
  long pruneBeyond(long keep) throws SQLException {
    if (connection == null) {
      connect();
    }
    long lastToGo;
    try (PreparedStatement find = connection.prepareStatement(
        "SELECT id FROM log_entries ORDER BY id DESC LIMIT 1 OFFSET ?")) {
      find.setLong(1, keep);
      try (ResultSet rows = find.executeQuery()) {
        if (!rows.next()) {
          connection.commit();
          return 0;
        }
        lastToGo = rows.getLong(1);
      }
      connection.commit();
    } catch (SQLException e) {
      disconnect();
      throw e;
    }
    return deleteInChunks("DELETE FROM log_entries WHERE id IN (SELECT id FROM log_entries WHERE id <= ? ORDER BY id "
        + "LIMIT " + PRUNE_CHUNK + ")", lastToGo);
  }

  /** Chunk by chunk, each its own transaction: inserts never wait long behind a big prune. */
  private long deleteInChunks(String sql, long bound) throws SQLException {
    if (connection == null) {
      connect();
    }
    long total = 0;
    try (PreparedStatement delete = connection.prepareStatement(sql)) {
      int deleted;
      do {
        delete.setLong(1, bound);
        deleted = delete.executeUpdate();
        connection.commit();
        total += deleted;
      } while (deleted == PRUNE_CHUNK);
    } catch (SQLException e) {
      disconnect();
      throw e;
    }
    return total;
  }

  @Override
  public void close() throws SQLException {
    if (checkpointer != null) {
      checkpointer.close();
    }
    if (connection != null) {
      connection.close();
    }
  }
}
