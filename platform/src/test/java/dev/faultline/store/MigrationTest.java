package dev.faultline.store;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The Flyway migrations on a real, empty SQLite file. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MigrationTest {

  @Test
  void migratesAnEmptyDatabaseInAFolderThatDoesNotExistYet(Vertx vertx, @TempDir Path dir) {
    Path file = dir.resolve("nested/data/faultline.db");
    Database database = await(Database.open(vertx, file));
    try {
      assertTrue(Files.isRegularFile(file), "database file created");
      Set<String> tables = new TreeSet<>();
      for (Row row : await(database.pool().query("SELECT name FROM sqlite_master WHERE type = 'table'").execute())) {
        tables.add(row.getString("name"));
      }
      assertTrue(tables.containsAll(List.of("users", "proxies", "log_entries", "flyway_schema_history")),
          "tables: " + tables);
      String journal = await(database.pool().query("PRAGMA journal_mode").execute()).iterator().next().getString(0);
      assertEquals("wal", journal.toLowerCase(), "WAL mode");
      long failed = await(database.pool().query("SELECT COUNT(*) FROM flyway_schema_history WHERE success = 0")
          .execute()).iterator().next().getLong(0);
      assertEquals(0, failed, "no failed migration");
    } finally {
      await(database.close());
    }
  }

  @Test
  void reopeningAMigratedDatabaseAppliesNothingTwice(Vertx vertx, @TempDir Path dir) {
    Path file = dir.resolve("faultline.db");
    await(await(Database.open(vertx, file)).close());
    Database again = await(Database.open(vertx, file));
    try {
      long versions = await(again.pool().query("SELECT COUNT(*) FROM flyway_schema_history").execute())
          .iterator().next().getLong(0);
      long distinct = await(again.pool().query("SELECT COUNT(DISTINCT version) FROM flyway_schema_history").execute())
          .iterator().next().getLong(0);
      assertEquals(distinct, versions, "each migration recorded once");
    } finally {
      await(again.close());
    }
  }
}
