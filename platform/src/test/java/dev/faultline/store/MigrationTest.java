package dev.faultline.store;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

  @Test
  void theSchemaVersionIsTheNewestMigrationOfEachKind() throws Exception {
    for (StoreKind kind : StoreKind.values()) {
      Path folder = Path.of(MigrationTest.class.getClassLoader().getResource(kind.migrations()).toURI());
      try (java.util.stream.Stream<Path> files = Files.list(folder)) {
        int newest = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
            .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
        assertEquals(Database.SCHEMA_VERSION, String.valueOf(newest), kind + "'s newest migration");
      }
    }
  }

  @Test
  void aSchemaOneMigrationBehindIsBroughtUpToDate(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("faultline.db");
    PrivateFiles.prepare(file);
    org.sqlite.SQLiteDataSource source = Database.dedicatedDataSource(file);
    int behind = Integer.parseInt(Database.SCHEMA_VERSION) - 1;
    org.flywaydb.core.Flyway.configure().dataSource(source).locations("classpath:" + StoreKind.SQLITE.migrations())
        .target(String.valueOf(behind)).load().migrate();

    assertEquals(1, Database.migrate(source, StoreKind.SQLITE), "the newest migration is applied");
    assertEquals(0, Database.migrate(source, StoreKind.SQLITE), "and nothing the next time");
  }

  /**
   * An up-to-date schema is taken as it is: Flyway, and its check of each applied file's
   * checksum, runs only when there is something to apply.
   */
  @Test
  void anUpToDateSchemaIsNotCheckedAgainByFlyway(Vertx vertx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("faultline.db");
    await(await(Database.open(vertx, file)).close());
    try (java.sql.Connection connection = Database.dedicatedDataSource(file).getConnection();
         java.sql.Statement statement = connection.createStatement()) {
      statement.execute("UPDATE flyway_schema_history SET checksum = 1 WHERE version = '1'");
    }
    await(await(Database.open(vertx, file)).close());

    try (java.sql.Connection connection = Database.dedicatedDataSource(file).getConnection();
         java.sql.Statement statement = connection.createStatement()) {
      statement.execute("DELETE FROM flyway_schema_history WHERE version = '" + Database.SCHEMA_VERSION + "'");
    }
    Throwable refused = assertThrows(Throwable.class, () -> await(Database.open(vertx, file)),
        "with a migration to apply, Flyway runs and checks the checksums");
    assertTrue(String.valueOf(refused.getMessage()).contains("checksum"), String.valueOf(refused.getMessage()));
  }

  /** V9 rebuilds the log's table without AUTOINCREMENT: the rows of an older installation stay, ids go on. */
  @Test
  void theLogKeepsItsRowsAndIdsAcrossTheRebuild(Vertx vertx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("faultline.db");
    PrivateFiles.prepare(file);
    org.sqlite.SQLiteDataSource source = Database.dedicatedDataSource(file);
    org.flywaydb.core.Flyway.configure().dataSource(source).locations("classpath:" + StoreKind.SQLITE.migrations())
        .target("8").load().migrate();
    try (java.sql.Connection connection = source.getConnection();
         java.sql.Statement statement = connection.createStatement()) {
      for (int i = 1; i <= 3; i++) {
        statement.execute("INSERT INTO log_entries (ts, proxy_id, request_id, method, path, status, model, cost_usd) "
            + "VALUES (" + (1_000 * i) + ", 'prx_a', 'req_" + i + "', 'POST', '/v1/chat/completions', 200, 'gpt', 0.5)");
      }
      statement.execute("DELETE FROM log_entries WHERE request_id = 'req_3'");
      assertTrue(sql(statement, "SELECT sql FROM sqlite_master WHERE name = 'log_entries'").contains("AUTOINCREMENT"),
          "V8 has AUTOINCREMENT");
    }
    Database database = await(Database.open(vertx, file));
    try {
      List<String> rows = await(database.pool().query("SELECT id, request_id, ts, model, cost_usd FROM log_entries ORDER BY id")
          .execute()).stream().map(row -> row.getLong(0) + " " + row.getString(1) + " " + row.getLong(2) + " "
          + row.getString(3) + " " + row.getDouble(4)).toList();
      assertEquals(List.of("1 req_1 1000 gpt 0.5", "2 req_2 2000 gpt 0.5"), rows, "the rows as they were");
      String table = await(database.pool().query("SELECT sql FROM sqlite_master WHERE name = 'log_entries'").execute())
          .iterator().next().getString(0);
      assertTrue(!table.contains("AUTOINCREMENT"), "rebuilt without AUTOINCREMENT: " + table);
      Set<String> indexes = new TreeSet<>();
      await(database.pool().query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'log_entries'")
          .execute()).forEach(row -> indexes.add(row.getString(0)));
      assertEquals(Set.of("log_entries_proxy_ts", "log_entries_ts"), indexes, "the indexes the queries use");
      await(database.pool().query("INSERT INTO log_entries (ts, proxy_id, request_id, method, path, status) "
          + "VALUES (4000, 'prx_a', 'req_4', 'POST', '/v1/chat/completions', 200)").execute());
      long id = await(database.pool().query("SELECT id FROM log_entries WHERE request_id = 'req_4'").execute())
          .iterator().next().getLong(0);
      assertEquals(3, id, "a new row goes after the newest kept one");
    } finally {
      await(database.close());
    }
  }

  /** V10: the log's pages newest first come straight off an index, with no sort of their own. */
  @Test
  void newestFirstPagesOfTheLogNeedNoSort(Vertx vertx, @TempDir Path dir) {
    Database database = await(Database.open(vertx, dir.resolve("faultline.db")));
    try {
      for (String where : List.of("1 = 1", "proxy_id = 'prx_a'", "proxy_id = 'prx_a' AND ts <= 5 AND (ts < 5 OR id < 9)",
          "ts <= 5 AND (ts < 5 OR id < 9)")) {
        String plan = await(database.pool().query("EXPLAIN QUERY PLAN SELECT * FROM log_entries WHERE " + where
            + " ORDER BY ts DESC, id DESC LIMIT 50").execute()).stream().map(row -> row.getString(3))
            .reduce("", (all, step) -> all + step + "; ");
        assertTrue(plan.contains("USING INDEX") && !plan.contains("TEMP B-TREE"), where + ": " + plan);
      }
    } finally {
      await(database.close());
    }
  }

  private static String sql(java.sql.Statement statement, String query) throws java.sql.SQLException {
    try (java.sql.ResultSet rows = statement.executeQuery(query)) {
      rows.next();
      return rows.getString(1);
    }
  }
}
