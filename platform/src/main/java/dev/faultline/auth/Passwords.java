package dev.faultline.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;

/**
 * Passwords, hashed with Argon2id (OWASP's first choice) and checked on worker threads: a hash
 * takes tens of milliseconds and memory on purpose, which an event loop must never spend.
 */
final class Passwords {

  static final int MIN_LENGTH = 10;
  static final int MAX_LENGTH = 256;
  static final String RULES = "a password needs " + MIN_LENGTH + " to " + MAX_LENGTH
      + " characters and must not be the email address";

  /**
   * Loaded on first use, which is always on a worker thread: password4j reads its settings file
   * when it starts, and the decoy is a hash to compute — neither may run on an event loop.
   */
  private static final class Argon2id {

    /** OWASP's Argon2id setting: 19 MiB, 2 passes, 1 lane; 32-byte hash. */
    static final Argon2Function FUNCTION = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);

    /**
     * Checked against when the email is unknown, so an unknown email costs the same time as a wrong
     * password and the answer's timing does not tell which accounts exist.
     */
    static final String DECOY = Password.hash("no account has this password").addRandomSalt(16).with(FUNCTION)
        .getResult();
  }

  private final Vertx vertx;

  Passwords(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Why {@code password} is refused for {@code email}, empty when it is acceptable. */
  static Optional<String> problem(String password, String email) {
    if (password == null || password.length() < MIN_LENGTH || password.length() > MAX_LENGTH) {
      return Optional.of("password: refused: " + RULES);
    }
    if (email != null && password.equalsIgnoreCase(email)) {
      return Optional.of("password: refused: " + RULES);
    }
    return Optional.empty();
  }

  Future<String> hash(String password) {
    return vertx.executeBlocking(() -> Password.hash(password).addRandomSalt(16).with(Argon2id.FUNCTION).getResult(),
        false);
  }

  /** Whether {@code password} matches {@code hash}; with no hash (unknown account, social-only), spends the same time and says no. */
  Future<Boolean> matches(String password, String hash) {
    return vertx.executeBlocking(() -> {
      boolean ok = Password.check(password, hash == null ? Argon2id.DECOY : hash).with(Argon2id.FUNCTION);
      return ok && hash != null;
    }, false);
  }
}
