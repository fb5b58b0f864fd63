package dev.faultline.auth;

import dev.faultline.store.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Single-use, expiring links: verify an email, reset a password, set up the first admin. The link
 * carries 256 random bits; only their hash is kept, and using it marks it used in the same
 * statement that finds it, so two clicks cannot both succeed.
 */
final class OneTimeLinks {

  enum Purpose { VERIFY, RESET, SETUP }

  private final Pool pool;

  OneTimeLinks(Database database) {
    this.pool = database.pool();
  }

  /** A new link secret for {@code userId} ({@code null} for setup), valid for {@code ttl}. */
  Future<String> create(Purpose purpose, String userId, Duration ttl) {
    String secret = Secrets.random("");
    return pool.preparedQuery("INSERT INTO one_time_links (token_hash, purpose, user_id, expires_at) VALUES (?, ?, ?, ?)")
        .execute(Tuple.of(Secrets.sha256(secret), name(purpose), userId, Instant.now().plus(ttl).getEpochSecond()))
        .map(rows -> secret);
  }

  /**
   * Uses the link: its user id (empty string for setup) when it exists for {@code purpose}, unused
   * and unexpired; empty otherwise. A used link never works again.
   */
  Future<Optional<String>> use(Purpose purpose, String secret) {
    if (secret == null || secret.isBlank()) {
      return Future.succeededFuture(Optional.empty());
    }
    long now = Instant.now().getEpochSecond();
    return pool.preparedQuery("UPDATE one_time_links SET used_at = ? WHERE token_hash = ? AND purpose = ? "
            + "AND used_at IS NULL AND expires_at > ? RETURNING user_id")
        .execute(Tuple.of(now, Secrets.sha256(secret), name(purpose), now))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(Optional.ofNullable(rows.iterator().next().getString("user_id")).orElse("")));
  }

  /** Whose an unused, unexpired link for {@code purpose} is (without using it); empty when there is none. */
  Future<Optional<String>> owner(Purpose purpose, String secret) {
    if (secret == null || secret.isBlank()) {
      return Future.succeededFuture(Optional.empty());
    }
    return pool.preparedQuery("SELECT user_id FROM one_time_links WHERE token_hash = ? AND purpose = ? "
            + "AND used_at IS NULL AND expires_at > ?")
        .execute(Tuple.of(Secrets.sha256(secret), name(purpose), Instant.now().getEpochSecond()))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(Optional.ofNullable(rows.iterator().next().getString("user_id")).orElse("")));
  }

  /** Whether an unused, unexpired link for {@code purpose} exists (without using it). */
  Future<Boolean> valid(Purpose purpose, String secret) {
    return pool.preparedQuery("SELECT 1 FROM one_time_links WHERE token_hash = ? AND purpose = ? AND used_at IS NULL "
            + "AND expires_at > ?")
        .execute(Tuple.of(Secrets.sha256(secret == null ? "" : secret), name(purpose), Instant.now().getEpochSecond()))
        .map(rows -> rows.size() > 0);
  }

  /** Makes every unused link of {@code purpose} unusable (a new setup link replaces the old). */
  Future<Void> expireAll(Purpose purpose) {
    return pool.preparedQuery("UPDATE one_time_links SET used_at = ? WHERE purpose = ? AND used_at IS NULL")
        .execute(Tuple.of(Instant.now().getEpochSecond(), name(purpose))).mapEmpty();
  }

  private static String name(Purpose purpose) {
    return purpose.name().toLowerCase(java.util.Locale.ROOT);
  }
}
