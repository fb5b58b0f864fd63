package dev.faultline.logs;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.faultline.store.Database;
import dev.faultline.store.PostgresServer;
import dev.faultline.store.StoreLocation;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The log writer's inserts into a real SQLite file (and a real PostgreSQL), grouped several rows to a statement. */
@ExtendWith(VertxExtension.class)
class LogSinkTest {

  @Test
  void everyRowOfGroupsAndRemainderIsStoredInOrderWithEveryField(Vertx vertx, @TempDir Path dir) throws Exception {
    Database database = await(Database.open(vertx, dir.resolve("faultline.db")));
    await(database.close());
    int count = 2 * LogSink.ROWS_PER_STATEMENT + 7;
    List<JsonObject> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      entries.add(LogTesting.entry("prx_" + i % 3, 1_700_000_000_000L + i, 200 + i, "m" + i, i % 2 == 0 ? "HIT" : null,
          null).put("error_message", "message " + i).put("cost_usd", 0.25 * i).put("usage_estimated", i % 5 == 0)
          .put("response_body", "{\"n\":" + i + "}"));
    }
    LogTesting.insert(database.file(), entries);

    try (Connection connection = Database.dedicatedDataSource(database.file()).getConnection();
         Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT * FROM log_entries ORDER BY id")) {
      int row = 0;
      while (rows.next()) {
        LogEntry expected = LogEntry.fromJson(entries.get(row));
        for (LogField field : LogField.values()) {
          assertEquals(comparable(field, column(expected, field)), comparable(field, rows.getObject(field.key())),
              "row " + row + ", " + field.key());
        }
        row++;
      }
      assertEquals(count, row, "every entry, none twice");
    }
  }

  /**
   * Groups whose rows have different columns null (each group's statement leaves out those null
   * in all its rows), more shapes than the sink keeps statements for, written by one sink in
   * several transactions: every value lands in its own column, in order.
   */
  @Test
  void rowsWithEveryMixOfNullsKeepEveryValueInItsColumn(Vertx vertx, @TempDir Path dir) throws Exception {
    Database database = await(Database.open(vertx, dir.resolve("faultline.db")));
    await(database.close());
    writesEveryMixOfNulls(Database.dedicatedDataSource(database.file()));
  }

  @Test
  void rowsWithEveryMixOfNullsKeepEveryValueInItsColumnOnPostgresql(Vertx vertx) throws Exception {
    Database database = await(Database.open(vertx,
        StoreLocation.postgresql(PostgresServer.freshDatabase(), null, null)));
    try {
      writesEveryMixOfNulls(database.dedicatedDataSource());
    } finally {
      await(database.close());
    }
  }

  private static void writesEveryMixOfNulls(DataSource source) throws Exception {
    // NOT NULL in the table, or never null in an entry
    Set<LogField> neverNull = Set.of(LogField.TS, LogField.PROXY_ID, LogField.REQUEST_ID, LogField.METHOD,
        LogField.PATH, LogField.STREAM, LogField.STATUS, LogField.USAGE_ESTIMATED, LogField.BYTES_IN,
        LogField.BYTES_OUT);
    List<LogEntry> entries = new ArrayList<>();
    int groups = 3 * LogSink.GROUP_SHAPES;
    for (int i = 0; i < groups * LogSink.ROWS_PER_STATEMENT + 7; i++) {
      // The rows of a group share their nulls (twice as many patterns as statements kept);
      // now and then one row has every column set.
      Random nulls = new Random(i / LogSink.ROWS_PER_STATEMENT % (2 * LogSink.GROUP_SHAPES));
      boolean full = i % 47 == 0;
      JsonObject json = new JsonObject();
      for (LogField field : LogField.values()) {
        boolean isNull = !full && !neverNull.contains(field) && nulls.nextBoolean();
        json.put(field.key(), isNull ? null : distinct(field, i));
      }
      entries.add(LogEntry.fromJson(json));
    }
    try (LogSink sink = LogSink.open(source)) {
      sink.insert(entries.subList(0, 333));
      sink.insert(entries.subList(333, entries.size()));
    }

    try (Connection connection = source.getConnection();
         Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery("SELECT * FROM log_entries ORDER BY id")) {
      int row = 0;
      while (rows.next()) {
        LogEntry expected = entries.get(row);
        for (LogField field : LogField.values()) {
          assertEquals(comparable(field, column(expected, field)), comparable(field, rows.getObject(field.key())),
              "row " + row + ", " + field.key());
        }
        row++;
      }
      assertEquals(entries.size(), row, "every entry, none twice");
    }
  }

  /** A value of the field's kind that no other field of any row has. */
  private static Object distinct(LogField field, int row) {
    return switch (field.kind()) {
      case TIME -> LogField.iso(1_700_000_000_000L + row);
      case BOOLEAN -> (row + field.ordinal()) % 2 == 0;
      case INTEGER -> field == LogField.STATUS ? 100 + row : (long) row * 100 + field.ordinal();
      case REAL -> row + field.ordinal() / 64.0;
      case TEXT -> field.key() + " " + row;
    };
  }

  /** Numbers as the column's kind holds them (the driver reads small integers back as Integer). */
  /** The field's value as its column should have it: the time in epoch milliseconds, booleans as 0 or 1. */
  private static Object column(LogEntry entry, LogField field) {
    Object value = entry.value(field);
    return switch (field.kind()) {
      case TIME -> entry.ts();
      case BOOLEAN -> Boolean.TRUE.equals(value) ? 1 : 0;
      default -> value;
    };
  }

  private static Object comparable(LogField field, Object value) {
    if (value instanceof Number number) {
      return field.kind() == LogField.Kind.REAL ? (Object) number.doubleValue() : (Object) number.longValue();
    }
    return value;
  }
}
