package dev.faultline.auth;

import dev.faultline.store.Database;
import dev.faultline.store.StoreKind;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/** The users table. Emails are kept lower-cased; the column compares without case too. */
final class Users {

  private static final String COLUMNS = "id, email, role, email_verified, disabled, created_at";

  private final Pool pool;
  /** Told the id of every user changed, once the change is stored (or failed): what is remembered of them is stale. */
  private final Consumer<String> changed;

  Users(Database database, Consumer<String> changed) {
    this.pool = database.pool();
    this.changed = changed;
  }

  static String normalize(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }

  Future<Optional<User>> byEmail(String email) {
    return one("SELECT " + COLUMNS + " FROM users WHERE lower(email) = lower(?)", normalize(email));
  }

  Future<Optional<User>> byId(String id) {
    return one("SELECT " + COLUMNS + " FROM users WHERE id = ?", id);
  }

  Future<List<User>> all() {
    return pool.query("SELECT " + COLUMNS + " FROM users ORDER BY created_at, email").execute().map(Users::toUsers);
  }

  Future<Long> count() {
    return pool.query("SELECT COUNT(*) AS n FROM users").execute().map(rows -> rows.iterator().next().getLong("n"));
  }

  /** The password hash of {@code id}; empty for an account that signs in only through a social provider. */
  Future<Optional<String>> passwordHash(String id) {
    return pool.preparedQuery("SELECT password_hash FROM users WHERE id = ?").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.<String>empty()
            : Optional.ofNullable(rows.iterator().next().getString("password_hash")));
  }

  /** Stores a new account; fails with {@link AuthException} 409 when the email is taken. */
  Future<User> insert(String email, String passwordHash, boolean admin, boolean verified) {
    User user = new User(Secrets.id("usr_"), normalize(email), admin, verified, false, Instant.now());
    return pool.preparedQuery("INSERT INTO users (id, email, password_hash, email_verified, role, disabled, created_at)"
            + " VALUES (?, ?, ?, ?, ?, 0, ?)")
        .execute(Tuple.of(user.id(), user.email(), passwordHash, verified ? 1 : 0, admin ? "admin" : "user",
            user.createdAt().toString()))
        .<User>map(rows -> user)
        .recover(e -> StoreKind.uniqueViolation(e)
            ? Future.failedFuture(AuthException.conflict("email", "an account with this email already exists"))
            : Future.failedFuture(e));
  }

  Future<Void> setPassword(String id, String passwordHash) {
    return update("password_hash = ?", passwordHash, id);
  }

  Future<Void> setVerified(String id) {
    return update("email_verified = ?", 1, id);
  }

  Future<Void> setAdmin(String id, boolean admin) {
    return update("role = ?", admin ? "admin" : "user", id);
  }

  Future<Void> setDisabled(String id, boolean disabled) {
    return update("disabled = ?", disabled ? 1 : 0, id);
  }

  /** The first admin: the owner of proxies made before accounts existed, and of the demo proxy. */
  Future<Optional<User>> firstAdmin() {
    return one("SELECT " + COLUMNS + " FROM users WHERE role = 'admin' ORDER BY created_at LIMIT 1", null);
  }

  private Future<Void> update(String assignment, Object value, String id) {
    return pool.preparedQuery("UPDATE users SET " + assignment + ", updated_at = ? WHERE id = ?")
        .execute(Tuple.of(value, Instant.now().toString(), id)).onComplete(done -> changed.accept(id)).mapEmpty();
  }

  private Future<Optional<User>> one(String sql, String param) {
    Future<RowSet<Row>> rows = param == null ? pool.query(sql).execute() : pool.preparedQuery(sql).execute(Tuple.of(param));
    return rows.map(found -> toUsers(found).stream().findFirst());
  }

  private static List<User> toUsers(RowSet<Row> rows) {
    List<User> users = new ArrayList<>(rows.size());
    for (Row row : rows) {
      users.add(new User(row.getString("id"), row.getString("email"), "admin".equals(row.getString("role")),
          row.getInteger("email_verified") != 0, row.getInteger("disabled") != 0,
          Instant.parse(row.getString("created_at"))));
    }
    return users;
  }
}
