package dev.faultline.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Statements kept per connection, on a real SQLite file; what the driver prepared is watched from below. */
class KeptStatementsTest {

  @TempDir
  Path dir;

  /** Every statement the driver itself prepared, in order. */
  private final List<PreparedStatement> prepared = new ArrayList<>();
  private DataSource kept;

  @BeforeEach
  void open() throws SQLException {
    DataSource file = Database.dedicatedDataSource(dir.resolve("store.db"));
    try (Connection connection = file.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
    }
    kept = new KeptStatements(new WatchedDataSource(file, prepared));
  }

  @Test
  void theSameSqlOnAConnectionIsPreparedOnceAndItsValuesDoNotCarryOver() throws SQLException {
    try (Connection connection = kept.getConnection()) {
      assertEquals("a", select(connection, "a"));
      assertEquals("b", select(connection, "b"));
      try (PreparedStatement statement = connection.prepareStatement("SELECT ?")) {
        // nothing bound this time: the last execution's value must not be what comes back
        assertNull(first(statement), "a kept statement still held the previous execution's parameter");
      }
    }
    assertEquals(1, prepared.size(), "the driver prepared the same SQL again");
  }

  @Test
  void aStatementStillOpenIsNotHandedOutTwice() throws SQLException {
    try (Connection connection = kept.getConnection()) {
      try (PreparedStatement outer = connection.prepareStatement("SELECT ?");
           PreparedStatement inner = connection.prepareStatement("SELECT ?")) {
        outer.setString(1, "outer");
        inner.setString(1, "inner");
        assertEquals("inner", first(inner));
        assertEquals("outer", first(outer));
      }
      assertEquals(2, prepared.size());
      assertTrue(prepared.get(0).isClosed() ^ prepared.get(1).isClosed(), "not one of the two kept and the other closed");
    }
  }

  @Test
  void aStatementClosedTwiceIsGivenBackOnceAndAnswersNothingMore() throws SQLException {
    try (Connection connection = kept.getConnection()) {
      PreparedStatement first = connection.prepareStatement("SELECT ?");
      first.close();
      first.close();
      assertTrue(first.isClosed());
      assertThrows(SQLException.class, () -> first.setString(1, "late"), "a closed statement still took a value");
      assertEquals("again", select(connection, "again"));
      assertFalse(prepared.get(0).isClosed(), "the second close closed the kept statement");
    }
    assertEquals(1, prepared.size());
  }

  @Test
  void aStatementGivenBackWithItsRowsStillOpenIsClosedNotKept() throws SQLException {
    try (Connection connection = kept.getConnection()) {
      PreparedStatement statement = connection.prepareStatement("SELECT ?");
      statement.setString(1, "left open");
      ResultSet rows = statement.executeQuery();
      assertTrue(rows.next());
      statement.close();
      assertTrue(prepared.get(0).isClosed(), "a statement with an open read was kept");
      assertEquals("next", select(connection, "next"));
    }
    assertEquals(2, prepared.size());
  }

  @Test
  void thePoolRunsTheSameStatementAgainAfterItFailed() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Database database = await(Database.open(vertx, dir.resolve("pooled.db")));
      Pool pool = database.pool();
      await(pool.query("CREATE TABLE names (name TEXT UNIQUE)").execute());
      String insert = "INSERT INTO names (name) VALUES (?)";
      await(pool.preparedQuery(insert).execute(Tuple.of("a")));
      ExecutionException clash = assertThrows(ExecutionException.class,
          () -> await(pool.preparedQuery(insert).execute(Tuple.of("a"))));
      assertTrue(StoreKind.uniqueViolation(clash.getCause()), clash.toString());
      for (String name : List.of("b", "c", "d", "e", "f")) {
        await(pool.preparedQuery(insert).execute(Tuple.of(name)));
      }
      assertEquals(6L, await(pool.preparedQuery("SELECT count(*) AS n FROM names WHERE name <> ?").execute(Tuple.of("x")))
          .iterator().next().getLong("n"));
      await(database.close());
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void insertsWorkAgainAndAskForNoGeneratedKey() throws SQLException {
    try (Connection connection = kept.getConnection()) {
      assertFalse(connection.getMetaData().supportsGetGeneratedKeys());
      for (String name : List.of("x", "y", "z")) {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO t (name) VALUES (?)")) {
          insert.setString(1, name);
          assertEquals(1, insert.executeUpdate());
        }
      }
      try (Statement count = connection.createStatement(); ResultSet rows = count.executeQuery("SELECT count(*) FROM t")) {
        rows.next();
        assertEquals(3, rows.getInt(1));
      }
    }
    assertEquals(1, prepared.size());
  }

  @Test
  void theLeastRecentlyUsedBeyondTheLimitAndAllAtTheConnectionsCloseAreClosed() throws SQLException {
    Connection connection = kept.getConnection();
    for (int i = 0; i <= KeptStatements.KEPT; i++) {
      select(connection, "SELECT ? AS v" + i, "v");
    }
    assertTrue(prepared.get(0).isClosed(), "the first statement was kept beyond the limit");
    assertFalse(prepared.get(1).isClosed());
    assertFalse(prepared.get(KeptStatements.KEPT).isClosed());
    connection.close();
    assertTrue(prepared.stream().allMatch(KeptStatementsTest::closed), "a kept statement outlived its connection");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String select(Connection connection, String value) throws SQLException {
    return select(connection, "SELECT ?", value);
  }

  private static String select(Connection connection, String sql, String value) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, value);
      return first(statement);
    }
  }

  private static String first(PreparedStatement statement) throws SQLException {
    try (ResultSet rows = statement.executeQuery()) {
      assertTrue(rows.next());
      return rows.getString(1);
    }
  }

  private static boolean closed(PreparedStatement statement) {
    try {
      return statement.isClosed();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The real data source, noting each statement its connections prepare. */
  private record WatchedDataSource(DataSource source, List<PreparedStatement> prepared) implements DataSource {

    @Override
    public Connection getConnection() throws SQLException {
      Connection connection = source.getConnection();
      return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
          (proxy, method, args) -> {
            Object result = method.invoke(connection, args);
            if (result instanceof PreparedStatement statement) {
              prepared.add(statement);
            }
            return result;
          });
    }

    @Override
    public Connection getConnection(String user, String password) {
      throw new UnsupportedOperationException();
    }

    @Override
    public java.io.PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(java.io.PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public java.util.logging.Logger getParentLogger() {
      return null;
    }

    @Override
    public <T> T unwrap(Class<T> type) {
      return null;
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return false;
    }
  }
}
