package dev.faultline.auth;

import dev.faultline.access.Caller;
import dev.faultline.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;

/**
 * Signed-in sessions: an HS256 JWT naming the account ({@code sub}) and the session ({@code sid}),
 * and a row per session. The JWT's signature and expiry are checked first (no database for a forged
 * or stale one); then the row must still exist, so logout, a password change or disabling the
 * account ends sessions at once, however long their JWT would still run.
 */
final class Sessions {

  private static final String ALGORITHM = "HS256";

  private final Vertx vertx;
  private final Pool pool;
  private final long ttlSeconds;
  private JWTAuth jwt;

  /** What a sign-in hands out. */
  record Issued(String token, Instant expiresAt, User user) {

    JsonObject toJson() {
      return new JsonObject().put("token", token).put("expires_at", expiresAt.toString()).put("user", user.toJson());
    }
  }

  Sessions(Vertx vertx, Database database, long ttlSeconds) {
    this.vertx = vertx;
    this.pool = database.pool();
    this.ttlSeconds = ttlSeconds;
  }

  /** Sets the key sessions are signed with, once it is read (before the admin API serves). */
  void signWith(String signingKey) {
    // Only HS256 with this key: a token naming another algorithm ("none", RS256 with this key
    // as a public key) finds no key for it and is refused.
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(signingKey))
        .setJWTOptions(new JWTOptions().setAlgorithm(ALGORITHM).setLeeway(0)));
  }

  long ttlSeconds() {
    return ttlSeconds;
  }

  Future<Issued> open(User user) {
    // Not a secret: the signed JWT is what signs in; the id only names the row that keeps it alive.
    String sid = Secrets.id("ses_");
    long now = Instant.now().getEpochSecond();
    long expires = now + ttlSeconds;
    String token = jwt.generateToken(new JsonObject().put("sub", user.id()).put("sid", sid),
        new JWTOptions().setAlgorithm(ALGORITHM).setExpiresInSeconds((int) ttlSeconds));
    return pool.preparedQuery("INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
        .execute(Tuple.of(sid, user.id(), now, expires))
        .map(rows -> new Issued(token, Instant.ofEpochSecond(expires), user));
  }

  /** The caller a session token stands for; fails with 401 when it is forged, expired or ended. */
  Future<Caller> check(String token) {
    return jwt.authenticate(new TokenCredentials(token))
        .recover(e -> Future.failedFuture(AuthException.unauthorized("session token refused: " + e.getMessage())))
        .compose(user -> {
          String sid = user.principal().getString("sid");
          String sub = user.principal().getString("sub");
          // A JWT without an expiry (which the library lets through) is never one we made.
          if (sid == null || sub == null || !hasExpiry(user)) {
            return Future.failedFuture(AuthException.unauthorized("session token refused: not a Faultline session"));
          }
          return pool.preparedQuery("SELECT u.id, u.email, u.role, u.email_verified FROM sessions s JOIN users u "
                  + "ON u.id = s.user_id WHERE s.id = ? AND s.user_id = ? AND s.expires_at > ? AND u.disabled = 0")
              .execute(Tuple.of(sid, sub, Instant.now().getEpochSecond()))
              .compose(rows -> rows.size() == 0
                  ? Future.failedFuture(AuthException.unauthorized("session ended: sign in again"))
                  : Future.succeededFuture(caller(rows.iterator().next())));
        });
  }

  /** Ends the session {@code token} stands for (logout). */
  Future<Void> close(String token) {
    return jwt.authenticate(new TokenCredentials(token))
        .compose(user -> pool.preparedQuery("DELETE FROM sessions WHERE id = ?")
            .execute(Tuple.of(user.principal().getString("sid"))))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  /** Ends every session of {@code userId} (password change, account disabled). */
  Future<Void> closeAll(String userId) {
    return pool.preparedQuery("DELETE FROM sessions WHERE user_id = ? OR expires_at <= ?")
        .execute(Tuple.of(userId, Instant.now().getEpochSecond())).mapEmpty();
  }

  /** The library keeps the token's expiry among the user's attributes, its claims in {@code accessToken}. */
  private static boolean hasExpiry(io.vertx.ext.auth.User user) {
    JsonObject token = user.attributes().getJsonObject("accessToken");
    return user.principal().containsKey("exp") || user.attributes().containsKey("exp")
        || token != null && token.containsKey("exp");
  }

  private static Caller caller(Row row) {
    return new Caller(row.getString("id"), row.getString("email"), "admin".equals(row.getString("role")),
        row.getInteger("email_verified") != 0, false, null);
  }
}
