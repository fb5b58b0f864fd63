package dev.faultline.logs;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.faultline.store.Database;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The log writer's inserts into a real SQLite file, grouped several rows to a statement. */
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
          assertEquals(comparable(field, expected.column(field)), comparable(field, rows.getObject(field.key())),
              "row " + row + ", " + field.key());
        }
        row++;
      }
      assertEquals(count, row, "every entry, none twice");
    }
  }

  /** Numbers as the column's kind holds them (the driver reads small integers back as Integer). */
  private static Object comparable(LogField field, Object value) {
    if (value instanceof Number number) {
      return field.kind() == LogField.Kind.REAL ? (Object) number.doubleValue() : (Object) number.longValue();
    }
    return value;
  }
}
