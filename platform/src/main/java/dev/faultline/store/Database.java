package dev.faultline.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The stores' database, SQLite (the file in the data folder) or PostgreSQL (a server several
 * nodes share): migrated by Flyway at open, then reached only through a Vert.x JDBC pool, which
 * runs every statement on a worker thread. Features see only this type; {@link #kind()} names the
 * few SQL spellings that differ, and {@link #dedicatedDataSource()} gives the single writers (the
 * cache's, the log's) their own connections to either.
 */
public final class Database {

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  private static final int BUSY_TIMEOUT_MS = 5_000;
  /** PostgreSQL serves many connections at once; SQLite's single writer gains nothing past a few. */
  private static final int POSTGRESQL_POOL = 8;
  /** The newest migration this build carries, the same for both kinds (MigrationTest holds it to the files). */
  static final String SCHEMA_VERSION = "10";

  private final Pool pool;
  private final StoreLocation location;

  private Database(Pool pool, StoreLocation location) {
    this.pool = pool;
    this.location = location;
  }

  /**
   * Creates the folder and file when missing, for the user alone (see {@link PrivateFiles}),
   * migrates the schema, opens the pool.
   */
  public static Future<Database> open(Vertx vertx, Path file) {
    return open(vertx, StoreLocation.sqlite(file));
  }

  /** Migrates the schema at {@code location} and opens the pool; a database that cannot be reached fails it. */
  public static Future<Database> open(Vertx vertx, StoreLocation location) {
    return vertx.executeBlocking(() -> {
      if (location.kind() == StoreKind.SQLITE) {
        PrivateFiles.prepare(location.file());
      }
      DataSource dataSource = dataSource(location);
      int applied = migrate(dataSource, location.kind());
      if (location.kind() == StoreKind.SQLITE) {
        dataSource = new KeptStatements(dataSource);
      }
      LOG.info("Database {} ready ({} migration(s) applied)", location, applied);
      // SQLite has one writer at a time; a few connections let reads proceed beside it (WAL).
      int size = location.kind() == StoreKind.SQLITE ? 4 : POSTGRESQL_POOL;
      Pool pool = JDBCPool.pool(vertx, dataSource, new PoolOptions().setMaxSize(size)
          .setName("faultline-" + location.kind().name().toLowerCase()));
      return new Database(pool, location);
    });
  }

  /** Brings the schema at {@code dataSource} up to date (blocking); the count of migrations applied. */
  public static int migrate(DataSource dataSource, StoreKind kind) {
    if (current(dataSource)) {
      return 0;
    }
    return Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:" + kind.migrations())
        .load()
        .migrate()
        .migrationsExecuted;
  }

  /**
   * Whether the schema is at {@link #SCHEMA_VERSION}, its last migration applied. Then Flyway is
   * not loaded at all: with nothing to apply it took about 250 ms of every start (the longest step
   * on a restart's way to its proxies), loading itself and reading and checksumming every file.
   * Anything else (no schema yet, an older or newer one, a failed migration) goes through Flyway.
   */
  private static boolean current(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      // Asked first: a query on a missing table would put an error in PostgreSQL's own log at a first start.
      try (ResultSet history = connection.getMetaData().getTables(null, null, "flyway_schema_history", null)) {
        if (!history.next()) {
          return false;
        }
      }
      try (Statement statement = connection.createStatement();
           ResultSet last = statement.executeQuery("SELECT version, success FROM flyway_schema_history"
               + " WHERE version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1")) {
        return last.next() && SCHEMA_VERSION.equals(last.getString(1)) && last.getBoolean(2);
      }
    } catch (SQLException e) {
      return false;
    }
  }

  /** A data source of fresh connections to {@code location} (each a plain JDBC connection). */
  public static DataSource dataSource(StoreLocation location) {
    if (location.kind() == StoreKind.SQLITE) {
      return dedicatedDataSource(location.file());
    }
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(location.jdbcUrl());
    if (location.user() != null) {
      dataSource.setUser(location.user());
    }
    if (location.password() != null) {
      dataSource.setPassword(location.password());
    }
    dataSource.setApplicationName("faultline");
    return dataSource;
  }

  /**
   * How every connection to the file is set up, the shared pool's and the single writers' (the
   * cache's, the log's) alike: WAL so readers never wait for a writer, a busy timeout so writers
   * queue instead of failing, and NORMAL sync, which WAL makes safe against corruption.
   */
  public static SQLiteConfig connectionConfig() {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.enforceForeignKeys(true);
    // No store reads an insert's generated key (asked for one, the driver now answers none); left
    // on, it queried the key after every insert.
    config.setGetGeneratedKeys(false);
    return config;
  }

  /** A data source for a writer that keeps its own connection to the (already migrated) file. */
  public static SQLiteDataSource dedicatedDataSource(Path file) {
    SQLiteDataSource dataSource = new SQLiteDataSource(connectionConfig());
    dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    return dataSource;
  }

  /** Connections of their own, apart from the shared pool, for a single writer (the cache's, the log's). */
  public DataSource dedicatedDataSource() {
    return dataSource(location);
  }

  public Pool pool() {
    return pool;
  }

  public StoreKind kind() {
    return location.kind();
  }

  public StoreLocation location() {
    return location;
  }

  /** The SQLite file; null on PostgreSQL. */
  public Path file() {
    return location.file();
  }

  /** Succeeds when a statement round-trips through the pool. */
  public Future<Void> ping() {
    return pool.query("SELECT 1").execute().mapEmpty();
  }

  public Future<Void> close() {
    return pool.close();
  }
}
