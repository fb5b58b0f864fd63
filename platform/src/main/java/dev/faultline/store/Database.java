package dev.faultline.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The SQLite file: migrated by Flyway at open, then reached only through a Vert.x JDBC pool,
 * which runs every statement on a worker thread.
 */
public final class Database {

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);
  private static final int BUSY_TIMEOUT_MS = 5_000;

  private final Pool pool;
  private final Path file;

  private Database(Pool pool, Path file) {
    this.pool = pool;
    this.file = file;
  }

  /**
   * Creates the folder and file when missing, for the user alone (see {@link PrivateFiles}),
   * migrates the schema, opens the pool.
   */
  public static Future<Database> open(Vertx vertx, Path file) {
    return vertx.executeBlocking(() -> {
      SQLiteDataSource dataSource = dataSource(file);
      int applied = Flyway.configure()
          .dataSource(dataSource)
          .locations("classpath:db/migration")
          .load()
          .migrate()
          .migrationsExecuted;
      LOG.info("Database {} ready ({} migration(s) applied)", file.toAbsolutePath(), applied);
      // SQLite has one writer at a time; a few connections let reads proceed beside it (WAL).
      Pool pool = JDBCPool.pool(vertx, dataSource, new PoolOptions().setMaxSize(4).setName("faultline-sqlite"));
      return new Database(pool, file);
    });
  }

  private static SQLiteDataSource dataSource(Path file) {
    PrivateFiles.prepare(file);
    return dedicatedDataSource(file);
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
    return config;
  }

  /** A data source for a writer that keeps its own connection to the (already migrated) file. */
  public static SQLiteDataSource dedicatedDataSource(Path file) {
    SQLiteDataSource dataSource = new SQLiteDataSource(connectionConfig());
    dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
    return dataSource;
  }

  public Pool pool() {
    return pool;
  }

  public Path file() {
    return file;
  }

  /** Succeeds when a statement round-trips through the pool. */
  public Future<Void> ping() {
    return pool.query("SELECT 1").execute().mapEmpty();
  }

  public Future<Void> close() {
    return pool.close();
  }
}
