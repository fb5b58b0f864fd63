package dev.faultline.logs;

import dev.faultline.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
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
  private static final String INSERT = "INSERT INTO log_entries ("
      + Arrays.stream(FIELDS).map(LogField::key).collect(Collectors.joining(", ")) + ") VALUES ("
      + String.join(", ", Collections.nCopies(FIELDS.length, "?")) + ")";

  private final DataSource source;
  private Connection connection;
  private PreparedStatement insert;

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
    connection.setAutoCommit(false);
    insert = connection.prepareStatement(INSERT);
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

  /** Inserts the entries in one transaction: all of them, or none and an exception. */
  void insert(List<LogEntry> entries) throws SQLException {
    if (connection == null) {
      connect();
    }
    try {
      for (LogEntry entry : entries) {
        for (int i = 0; i < FIELDS.length; i++) {
          insert.setObject(i + 1, entry.column(FIELDS[i]));
        }
        insert.addBatch();
      }
      insert.executeBatch();
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      disconnect();
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
    if (connection != null) {
      connection.close();
    }
  }
}
