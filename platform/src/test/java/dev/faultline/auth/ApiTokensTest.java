package dev.faultline.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.faultline.access.Caller;
import dev.faultline.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * API tokens taken on trust for {@link ApiTokens#TRUSTED_FOR} after a check, on a real SQLite
 * store, with the trust measured on a clock the test moves. A change made straight in the
 * database stands for one another cluster node made.
 */
@ExtendWith(VertxExtension.class)
class ApiTokensTest {

  @TempDir
  Path dir;

  private final AtomicLong nanos = new AtomicLong(1);
  private Vertx vertx;
  private Database database;
  private ApiTokens tokens;
  private Users users;
  private String userId;
  private String token;

  @BeforeEach
  void open(Vertx vertx) throws Exception {
    this.vertx = vertx;
    database = await(Database.open(vertx, dir.resolve("faultline.db")));
    tokens = new ApiTokens(database, (Ticker) nanos::get);
    users = new Users(database, user -> tokens.forget());
    userId = await(users.insert("someone@faultline.test", null, true, true)).id();
    token = await(tokens.create(userId, "script", false, null)).getString("token");
  }

  @AfterEach
  void close() throws Exception {
    await(database.close());
  }

  @Test
  void aCheckedTokenIsTakenOnTrustUntilItsTimeIsUp() throws Exception {
    Caller caller = await(tokens.check(token));
    assertTrue(caller.admin());
    revokeInTheDatabase();
    assertEquals(userId, await(tokens.check(token)).userId(), "the token was checked against the database again");
    nanos.addAndGet(ApiTokens.TRUSTED_FOR.toNanos());
    assertRefused("a token revoked on another node was still taken after " + ApiTokens.TRUSTED_FOR);
  }

  @Test
  void revokingATokenHereEndsItAtOnce() throws Exception {
    await(tokens.check(token));
    String id = await(tokens.list(userId)).getJsonObject(0).getString("id");
    assertTrue(await(tokens.revoke(userId, id)));
    assertRefused("a revoked token was still taken");
  }

  @Test
  void aChangedUserIsCheckedAgainAtOnce() throws Exception {
    await(tokens.check(token));
    await(users.setAdmin(userId, false));
    assertFalse(await(tokens.check(token)).admin(), "the token still acted as an admin");
    await(users.setDisabled(userId, true));
    assertRefused("a disabled user's token was still taken");
  }

  @Test
  void aTokenRevokedOnAnotherNodeIsRefusedThereWithoutWaitingOutTheTrust() throws Exception {
    // Another node's tokens over the same store, trusting on a clock that never moves: only the
    // announcement on the bus can make it check again.
    ApiTokens otherNode = new ApiTokens(database, (Ticker) nanos::get);
    await(tokens.follow(vertx));
    await(otherNode.follow(vertx));
    await(otherNode.check(token));
    String id = await(tokens.list(userId)).getJsonObject(0).getString("id");
    assertTrue(await(tokens.revoke(userId, id)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        await(otherNode.check(token));
      } catch (java.util.concurrent.ExecutionException e) {
        assertTrue(e.getCause() instanceof AuthException, e.toString());
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the other node still took the revoked token 10 s later");
      }
      Thread.sleep(20);
    }
  }

  @Test
  void aCheckThatReadTheDatabaseBeforeAChangeIsNotKept() throws Exception {
    Promise<Caller> inFlight = Promise.promise();
    // On the event loop, so the check's answer cannot arrive before the change is told.
    vertx.runOnContext(v -> {
      tokens.check(token).onComplete(inFlight);
      tokens.forget();
    });
    await(inFlight.future());
    revokeInTheDatabase();
    assertRefused("what a check read before a change was kept after it");
  }

  @Test
  void anExpiredTokenIsRefusedEvenWhileTrusted() throws Exception {
    long expires = Instant.now().getEpochSecond() + 2;
    await(database.pool().preparedQuery("UPDATE api_tokens SET expires_at = ?").execute(Tuple.of(expires)));
    await(tokens.check(token));
    while (Instant.now().getEpochSecond() < expires) {
      Thread.sleep(50);
    }
    assertRefused("an expired token was taken because it had been checked before");
  }

  private void revokeInTheDatabase() throws Exception {
    await(database.pool().preparedQuery("UPDATE api_tokens SET revoked_at = 1 WHERE user_id = ?")
        .execute(Tuple.of(userId)));
  }

  private void assertRefused(String message) throws Exception {
    try {
      await(tokens.check(token));
    } catch (java.util.concurrent.ExecutionException e) {
      assertTrue(e.getCause() instanceof AuthException, e.toString());
      return;
    }
    throw new AssertionError(message);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
