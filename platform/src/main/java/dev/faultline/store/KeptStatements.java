package dev.faultline.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * SQLite connections that keep the statements they prepared. The Vert.x JDBC client prepares
 * every statement again for each execution and closes it after; SQLite then parses and plans the
 * same SQL each time, a fifth of what a statement cost on the workers. Here a closed statement
 * is only cleared, and the next execution of the same SQL on that connection takes it back.
 *
 * <p>The connections also say they cannot return generated keys, which no store reads (nor does the
 * driver make any, see {@link Database#connectionConfig()}): asked for them, the client prepared
 * every insert in a form kept nowhere and read an empty set of keys after it.
 */
final class KeptStatements implements DataSource {

  /** Statements kept per connection, the least recently used closed beyond it; the stores have about sixty. */
  static final int KEPT = 64;

  private final DataSource source;

  KeptStatements(DataSource source) {
    this.source = source;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return keeping(source.getConnection());
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return keeping(source.getConnection(user, password));
  }

  private static Connection keeping(Connection connection) {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        new Kept(connection));
  }

  /** One connection: its statements by SQL, each either idle (kept) or handed out. */
  private static final class Kept implements InvocationHandler {

    private final Connection connection;
    private final Map<String, PreparedStatement> idle = new LinkedHashMap<>(16, 0.75f, true);
    /** The connection's metadata, saying it has no generated keys; asked for before every statement. */
    private DatabaseMetaData metaData;

    Kept(Connection connection) {
      this.connection = connection;
    }

    @Override
    public synchronized Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (name.equals("prepareStatement") && args.length == 1) {
        return prepare((String) args[0]);
      }
      if (name.equals("getMetaData")) {
        if (metaData == null) {
          metaData = withoutGeneratedKeys(connection.getMetaData());
        }
        return metaData;
      }
      if (name.equals("close")) {
        closeKept();
      }
      return call(connection, method, args);
    }

    /** The statement kept for {@code sql}, or a new one; either goes back to the idle ones when closed. */
    private PreparedStatement prepare(String sql) throws SQLException {
      PreparedStatement statement = idle.remove(sql);
      if (statement == null) {
        statement = connection.prepareStatement(sql);
      }
      return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(),
          new Class<?>[] {PreparedStatement.class}, new Handle(sql, statement));
    }

    /**
     * A statement as handed out: closing it gives it back, once, unless a result set of its is
     * still open (a closed statement closes its result set; a kept one would leave the read open).
     * After that it answers nothing more, as a closed statement does: it may serve someone else.
     */
    private final class Handle implements InvocationHandler {
      private final String sql;
      private final PreparedStatement statement;
      private final List<ResultSet> results = new ArrayList<>(1);
      private boolean closed;

      Handle(String sql, PreparedStatement statement) {
        this.sql = sql;
        this.statement = statement;
      }

      @Override
      public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
          case "close" -> {
            if (!closed) {
              closed = true;
              giveBack(sql, statement, allClosed());
            }
            return null;
          }
          case "isClosed" -> {
            return closed;
          }
          case "equals" -> {
            return proxy == args[0];
          }
          case "hashCode" -> {
            return System.identityHashCode(proxy);
          }
          case "toString" -> {
            return "kept " + sql;
          }
          default -> {
            if (closed) {
              throw new SQLException("statement is closed");
            }
            Object result = call(statement, method, args);
            if (result instanceof ResultSet rows) {
              results.add(rows);
            }
            return result;
          }
        }
      }

      private boolean allClosed() throws SQLException {
        for (ResultSet rows : results) {
          if (!rows.isClosed()) {
            return false;
          }
        }
        return true;
      }
    }

    private void giveBack(String sql, PreparedStatement statement, boolean reusable) throws SQLException {
      synchronized (this) {
        if (reusable && !connection.isClosed() && !idle.containsKey(sql)) {
          statement.clearParameters();
          idle.put(sql, statement);
          statement = evicted();
        }
      }
      if (statement != null) {
        statement.close();
      }
    }

    /** The least recently used idle statement once more than {@link #KEPT} are idle, taken out; else null. */
    private PreparedStatement evicted() {
      if (idle.size() <= KEPT) {
        return null;
      }
      var eldest = idle.entrySet().iterator();
      PreparedStatement statement = eldest.next().getValue();
      eldest.remove();
      return statement;
    }

    private void closeKept() {
      List<PreparedStatement> kept = new ArrayList<>(idle.values());
      idle.clear();
      for (PreparedStatement statement : kept) {
        try {
          statement.close();
        } catch (SQLException e) {
          // the connection closes next, and its statements with it
        }
      }
    }
  }

  private static DatabaseMetaData withoutGeneratedKeys(DatabaseMetaData metaData) {
    return (DatabaseMetaData) Proxy.newProxyInstance(DatabaseMetaData.class.getClassLoader(),
        new Class<?>[] {DatabaseMetaData.class}, (p, method, args) -> method.getName().equals("supportsGetGeneratedKeys")
            ? Boolean.FALSE : call(metaData, method, args));
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return source.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    source.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    source.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return source.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return source.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return source.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return source.isWrapperFor(type);
  }
}
