package dev.faultline.auth;

import dev.faultline.access.Caller;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a person does with their account: register, verify the email, sign in, change or reset the
 * password. The HTTP side is {@link AuthRoutes}; this is the rules.
 */
final class Accounts {

  private static final Logger LOG = LoggerFactory.getLogger(Accounts.class);

  static final Duration VERIFY_TTL = Duration.ofHours(48);
  static final Duration RESET_TTL = Duration.ofMinutes(30);
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
  private static final String WRONG = "email or password is wrong";

  private final Users users;
  private final Passwords passwords;
  private final Sessions sessions;
  private final OneTimeLinks links;
  private final Mailer mailer;
  private final AuditTrail audit;

  Accounts(Users users, Passwords passwords, Sessions sessions, OneTimeLinks links, Mailer mailer, AuditTrail audit) {
    this.users = users;
    this.passwords = passwords;
    this.sessions = sessions;
    this.links = links;
    this.mailer = mailer;
    this.audit = audit;
  }

  Users users() {
    return users;
  }

  static String checkEmail(String email) {
    if (email == null || email.length() > 254 || !EMAIL.matcher(email.trim()).matches()) {
      throw AuthException.invalid("email", "email: not an email address: expected name@domain");
    }
    return Users.normalize(email);
  }

  static void checkPassword(String password, String email) {
    Passwords.problem(password, email).ifPresent(why -> {
      throw AuthException.invalid("password", why);
    });
  }

  /** A new account, and whether its verification mail went out. */
  record Registered(User user, boolean mailed) {
  }

  /**
   * A new, unverified account; the verification mail goes out (or to the log). A mail server that
   * fails does not undo the account: it exists, and its owner can sign in and ask for a new mail.
   */
  Future<Registered> register(String email, String password, String baseUrl) {
    String address = checkEmail(email);
    checkPassword(password, address);
    return passwords.hash(password)
        .compose(hash -> users.insert(address, hash, false, false))
        .onSuccess(user -> audit.record(asCaller(user), "account.register", "user", user.id(), null))
        .compose(user -> sendVerification(user, baseUrl).map(new Registered(user, true))
            .otherwise(new Registered(user, false)));
  }

  /** A verified admin, made from the setup link or configuration; no mail. */
  Future<User> createAdmin(String email, String password) {
    String address = checkEmail(email);
    checkPassword(password, address);
    return passwords.hash(password).compose(hash -> users.insert(address, hash, true, true))
        .onSuccess(user -> audit.record(asCaller(user), "account.setup", "user", user.id(), null));
  }

  Future<Void> sendVerification(User user, String baseUrl) {
    return links.create(OneTimeLinks.Purpose.VERIFY, user.id(), VERIFY_TTL).compose(secret -> mailer.send(user.email(),
        "Verify your email for Faultline",
        "Open this link to verify " + user.email() + " (it works once, for " + VERIFY_TTL.toHours() + " hours):\n\n"
            + baseUrl + "/verify?token=" + secret + "\n\nUntil then you can sign in, but not create proxies."))
        .recover(e -> {
          // The server's own words go to the log only: they name hosts and addresses of the inside.
          LOG.warn("The verification mail to {} could not be sent: {}", user.email(), e.getMessage());
          return Future.failedFuture(AuthException.unavailable("the verification mail could not be sent (the mail "
              + "server failed; its reason is in Faultline's log); try again later"));
        });
  }

  Future<User> verify(String secret) {
    return links.use(OneTimeLinks.Purpose.VERIFY, secret).compose(userId -> userId.isEmpty()
        ? Future.failedFuture(AuthException.invalid("token", "token: this verification link is unknown, used or "
            + "expired; sign in and ask for a new one"))
        : users.setVerified(userId.get()).compose(v -> users.byId(userId.get())).map(Optional::orElseThrow));
  }

  /**
   * Signs in. An unknown email costs a password check too, and gets the same answer as a wrong
   * password: neither the answer nor its time tells whether the account exists.
   */
  Future<Sessions.Issued> signIn(String email, String password) {
    String address = email == null ? "" : Users.normalize(email);
    return users.byEmail(address).compose(found -> {
      Future<Optional<String>> hash = found.isEmpty() ? Future.succeededFuture(Optional.empty())
          : users.passwordHash(found.get().id());
      return hash.compose(h -> passwords.matches(password == null ? "" : password, h.orElse(null)))
          .compose(ok -> {
            if (!ok || found.get().disabled()) {
              return Future.failedFuture(AuthException.unauthorized(WRONG));
            }
            return sessions.open(found.get());
          });
    });
  }

  /** Changes the password after checking the current one; every session ends, a new one starts. */
  Future<Sessions.Issued> changePassword(Caller caller, String current, String next) {
    checkPassword(next, caller.email());
    return users.passwordHash(caller.userId())
        .compose(hash -> hash.isEmpty() ? Future.succeededFuture(true) : passwords.matches(current == null ? "" : current, hash.get()))
        .compose(ok -> ok ? passwords.hash(next)
            : Future.failedFuture(AuthException.invalid("current_password", "current_password: wrong")))
        .compose(hash -> users.setPassword(caller.userId(), hash))
        .compose(v -> sessions.closeAll(caller.userId()))
        .compose(v -> users.byId(caller.userId()))
        .compose(user -> sessions.open(user.orElseThrow()));
  }

  /**
   * Mails a reset link when the account exists; says nothing either way. The answer does not wait
   * for the mail: its time would tell which addresses have an account.
   */
  Future<Void> requestReset(String email, String baseUrl) {
    if (email == null || email.isBlank()) {
      throw AuthException.invalid("email", "email: required: the address of the account");
    }
    users.byEmail(email).compose(found -> {
      if (found.isEmpty() || found.get().disabled()) {
        return Future.succeededFuture();
      }
      User user = found.get();
      return links.create(OneTimeLinks.Purpose.RESET, user.id(), RESET_TTL).compose(secret -> mailer.send(user.email(),
          "Reset your Faultline password",
          "Someone (you, we hope) asked to reset the password of " + user.email() + ". Open this link to choose a new "
              + "one (it works once, for " + RESET_TTL.toMinutes() + " minutes):\n\n" + baseUrl + "/reset?token=" + secret
              + "\n\nIf it was not you, ignore this mail: your password stays as it is."));
    }).onFailure(e -> LOG.warn("A password reset mail could not be sent: {}", e.getMessage()));
    return Future.succeededFuture();
  }

  /** Sets a new password from a reset link; every session ends. The link's account counts as verified: the mail reached it. */
  Future<Void> reset(String secret, String password) {
    // The new password is checked before the link is used: a refused one leaves the link working.
    return links.owner(OneTimeLinks.Purpose.RESET, secret)
        .compose(owner -> owner.isEmpty() ? Future.failedFuture(unknownReset()) : users.byId(owner.get()))
        .compose(user -> {
          checkPassword(password, user.map(User::email).orElse(null));
          return links.use(OneTimeLinks.Purpose.RESET, secret);
        })
        .compose(userId -> userId.isEmpty() ? Future.failedFuture(unknownReset())
            : passwords.hash(password).compose(hash -> users.setPassword(userId.get(), hash))
                .compose(v -> users.setVerified(userId.get()))
                .compose(v -> sessions.closeAll(userId.get())));
  }

  private static AuthException unknownReset() {
    return AuthException.invalid("token", "token: this reset link is unknown, used or expired; ask for a new one");
  }

  static Caller asCaller(User user) {
    return new Caller(user.id(), user.email(), user.admin(), user.verified(), false, null);
  }
}
