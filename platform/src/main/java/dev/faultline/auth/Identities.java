package dev.faultline.auth;

import dev.faultline.store.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Optional;

/** The identities table: which account a provider's person ({@code provider}, {@code subject}) signs in to. */
final class Identities {

  private final Pool pool;

  Identities(Database database) {
    this.pool = database.pool();
  }

  Future<Optional<String>> userId(String provider, String subject) {
    return pool.preparedQuery("SELECT user_id FROM identities WHERE provider = ? AND subject = ?")
        .execute(Tuple.of(provider, subject))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("user_id")));
  }

  Future<Void> link(String provider, String subject, String userId) {
    return pool.preparedQuery("INSERT INTO identities (provider, subject, user_id, created_at) VALUES (?, ?, ?, ?)")
        .execute(Tuple.of(provider, subject, userId, Instant.now().getEpochSecond())).mapEmpty();
  }
}
