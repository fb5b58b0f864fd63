package dev.faultline.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.faultline.access.Caller;
import dev.faultline.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * API tokens for scripts, CI and services: {@code flt_} and 256 random bits, shown once at creation
 * and kept only as their SHA-256. A token acts as its owner, or only reads when made read-only.
 */
final class ApiTokens {

  static final String PREFIX = "flt_";

  /**
   * How long a token checked against the database is taken on trust. A script calling the API in
   * a loop made a trip to the database with every call, a fifth of what creating a proxy took.
   * Revoking a token and changing a user forget them all at once ({@link #forget}), on every node
   * of a cluster; this bounds what a lost announcement leaves.
   */
  static final Duration TRUSTED_FOR = Duration.ofSeconds(1);

  /**
   * Clustered event-bus address, {@code {"node"}}: a token was revoked or a user changed on that
   * node, and every other node checks the tokens it trusted against the database again.
   */
  static final String CHANGED_ADDRESS = "faultline.cluster.auth.changed";

  /** What a check found, by the token's hash; {@code expiresAt} in epoch seconds, null: never. */
  private record Checked(Caller caller, Long expiresAt) {
  }

  private final Pool pool;
  private final Cache<String, Checked> checked;
  /** Counts {@link #forget}s: a check that read the database before one must not be remembered after it. */
  private final AtomicLong forgotten = new AtomicLong();
  private final String origin = UUID.randomUUID().toString();
  /** Where {@link #forget} is announced; {@code null}: nowhere (one node). */
  private volatile Vertx cluster;

  ApiTokens(Database database) {
    this(database, Ticker.systemTicker());
  }

  /** With the clock {@link #TRUSTED_FOR} is measured on (a test's own). */
  ApiTokens(Database database, Ticker clock) {
    this.pool = database.pool();
    this.checked = Caffeine.newBuilder().ticker(clock).expireAfterWrite(TRUSTED_FOR).maximumSize(10_000).build();
  }

  /** Follows the other nodes' revocations and user changes, and announces this node's (a clustered Vert.x). */
  Future<Void> follow(Vertx vertx) {
    cluster = vertx;
    return vertx.eventBus().<JsonObject>consumer(CHANGED_ADDRESS, message -> {
      if (!origin.equals(message.body().getString("node"))) {
        forgetHere();
      }
    }).completion();
  }

  /**
   * Every token checked so far, on every node, is checked against the database again: one was
   * revoked, or a user changed.
   */
  void forget() {
    forgetHere();
    Vertx vertx = cluster;
    if (vertx != null) {
      vertx.eventBus().publish(CHANGED_ADDRESS, new JsonObject().put("node", origin));
    }
  }

  private void forgetHere() {
    forgotten.incrementAndGet();
    checked.invalidateAll();
  }

  /** A new token of {@code userId}; the result is the only place its value ever appears. */
  Future<JsonObject> create(String userId, String name, boolean readOnly, Instant expiresAt) {
    String token = Secrets.random(PREFIX);
    String id = Secrets.id("tok_");
    long now = Instant.now().getEpochSecond();
    Long expires = expiresAt == null ? null : expiresAt.getEpochSecond();
    return pool.preparedQuery("INSERT INTO api_tokens (id, user_id, name, token_hash, read_only, created_at, expires_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)")
        .execute(Tuple.of(id, userId, name, Secrets.sha256(token), readOnly ? 1 : 0, now, expires))
        .map(rows -> view(id, name, readOnly, now, expires, null).put("token", token));
  }

  /** Keeps a token whose value the configuration chose (the first admin's, for scripted setups). */
  Future<Void> insertKnown(String userId, String name, String token) {
    return pool.preparedQuery("INSERT INTO api_tokens (id, user_id, name, token_hash, read_only, created_at) "
            + "VALUES (?, ?, ?, ?, 0, ?)")
        .execute(Tuple.of(Secrets.id("tok_"), userId, name, Secrets.sha256(token), Instant.now().getEpochSecond()))
        .mapEmpty();
  }

  /** Tokens of {@code userId} that are not revoked, newest first, without their values. */
  Future<JsonArray> list(String userId) {
    return pool.preparedQuery("SELECT id, name, read_only, created_at, expires_at, last_used_at FROM api_tokens "
            + "WHERE user_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, id")
        .execute(Tuple.of(userId))
        .map(rows -> {
          JsonArray tokens = new JsonArray();
          for (Row row : rows) {
            tokens.add(view(row.getString("id"), row.getString("name"), row.getInteger("read_only") != 0,
                row.getLong("created_at"), row.getLong("expires_at"), row.getLong("last_used_at")));
          }
          return tokens;
        });
  }

  /** Revokes token {@code id} of {@code userId}; false when they have no such token. */
  Future<Boolean> revoke(String userId, String id) {
    return pool.preparedQuery("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL")
        .execute(Tuple.of(Instant.now().getEpochSecond(), id, userId))
        .onComplete(done -> forget())
        .map(rows -> rows.rowCount() > 0);
  }

  /** How stale a token's {@code last_used_at} may be. */
  static final long LAST_USED_PRECISION_SECONDS = 60;

  /** The caller {@code token} stands for; fails with 401 when unknown, revoked, expired or its account is disabled. */
  Future<Caller> check(String token) {
    long now = Instant.now().getEpochSecond();
    String hash = Secrets.sha256(token);
    Checked known = checked.getIfPresent(hash);
    if (known != null && (known.expiresAt() == null || known.expiresAt() > now)) {
      return Future.succeededFuture(known.caller());
    }
    long generation = forgotten.get();
    return pool.preparedQuery("SELECT t.id AS token_id, t.read_only, t.last_used_at, t.expires_at, u.id, u.email, u.role, "
            + "u.email_verified FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? "
            + "AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?) AND u.disabled = 0")
        .execute(Tuple.of(hash, now))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(AuthException.unauthorized("API token refused: unknown, revoked or expired"));
          }
          Row row = rows.iterator().next();
          Caller caller = new Caller(row.getString("id"), row.getString("email"), "admin".equals(row.getString("role")),
              row.getInteger("email_verified") != 0, row.getInteger("read_only") != 0, row.getString("token_id"));
          remember(hash, new Checked(caller, row.getLong("expires_at")), generation);
          // When it was last used, for the list, to the minute: a script calling the API in a loop
          // would otherwise make every one of its calls a write. Not worth failing the request over.
          Long last = row.getLong("last_used_at");
          if (last != null && now - last < LAST_USED_PRECISION_SECONDS) {
            return Future.succeededFuture(caller);
          }
          return pool.preparedQuery("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")
              .execute(Tuple.of(now, caller.tokenId())).map(caller).otherwise(caller);
        });
  }

  /** Keeps what a check found, unless something was forgotten since it read the database. */
  private void remember(String hash, Checked found, long generation) {
    if (forgotten.get() == generation) {
      checked.put(hash, found);
      if (forgotten.get() != generation) {
        checked.invalidate(hash);
      }
    }
  }

  private static JsonObject view(String id, String name, boolean readOnly, long created, Long expires, Long lastUsed) {
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("read_only", readOnly)
        .put("created_at", Instant.ofEpochSecond(created).toString())
        .put("expires_at", expires == null ? null : Instant.ofEpochSecond(expires).toString())
        .put("last_used_at", lastUsed == null ? null : Instant.ofEpochSecond(lastUsed).toString());
  }
}
