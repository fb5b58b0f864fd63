package dev.faultline.auth;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first admin. With no account yet, Faultline prints a one-time setup link at start (as Jupyter
 * prints its token URL); whoever opens it creates the first admin, verified at once. A scripted
 * setup names the admin in configuration instead ({@code FAULTLINE_ADMIN_EMAIL} and
 * {@code FAULTLINE_ADMIN_PASSWORD}). Either way, proxies made before accounts existed, the demo
 * among them, become the first admin's.
 */
final class FirstRun {

  private static final Logger LOG = LoggerFactory.getLogger(FirstRun.class);
  static final Duration SETUP_TTL = Duration.ofDays(7);

  private final Accounts accounts;
  private final OneTimeLinks links;
  private final ApiTokens tokens;
  private final AuthSettings settings;
  private final Function<String, Future<?>> adopt;
  /** The setup link made at start, printed once the admin API's address is known. */
  private volatile String pendingSetup;

  /** @param adopt gives the proxies without an owner to the account named */
  FirstRun(Accounts accounts, OneTimeLinks links, ApiTokens tokens, AuthSettings settings,
           Function<String, Future<?>> adopt) {
    this.accounts = accounts;
    this.links = links;
    this.tokens = tokens;
    this.settings = settings;
    this.adopt = adopt;
  }

  Future<Boolean> needed() {
    return accounts.users().count().map(n -> n == 0);
  }

  /**
   * At start, before the admin API listens (so that the configured admin's token works from its
   * first answer): the configured admin, or a new setup link, or nothing to do.
   */
  Future<Void> prepare() {
    return needed().compose(none -> {
      if (!none) {
        return firstAdmin().compose(admin -> admin.isEmpty() ? Future.succeededFuture() : adopt.apply(admin.get()))
            .mapEmpty();
      }
      if (settings.adminEmail() != null) {
        return accounts.createAdmin(settings.adminEmail(), settings.adminPassword())
            .compose(admin -> (settings.adminToken() == null ? Future.succeededFuture()
                : tokens.insertKnown(admin.id(), "configured (FAULTLINE_ADMIN_TOKEN)", settings.adminToken()))
                .compose(v -> adopt.apply(admin.id()))
                .onSuccess(v -> LOG.info("Created the first admin, {}, from the configuration", admin.email())))
            .mapEmpty();
      }
      return links.expireAll(OneTimeLinks.Purpose.SETUP)
          .compose(v -> links.create(OneTimeLinks.Purpose.SETUP, null, SETUP_TTL))
          .onSuccess(secret -> pendingSetup = secret)
          .mapEmpty();
    });
  }

  /** Once the admin API listens at {@code baseUrl}: the setup link, when {@link #prepare} made one. */
  void announce(String baseUrl) {
    if (pendingSetup != null) {
      announceLink(baseUrl + "/setup?token=" + pendingSetup);
      pendingSetup = null;
    }
  }

  /** Creates the first admin from the setup link; the link works once. */
  Future<User> complete(String secret, String email, String password) {
    Accounts.checkEmail(email);
    Accounts.checkPassword(password, email);
    return links.use(OneTimeLinks.Purpose.SETUP, secret)
        .compose(used -> used.isPresent() ? accounts.createAdmin(email, password)
            : Future.failedFuture(AuthException.invalid("token", "token: this setup link is unknown, used or "
                + "expired; restart Faultline for a new one while no account exists")))
        .compose(admin -> adopt.apply(admin.id()).map(admin));
  }

  Future<Optional<String>> firstAdmin() {
    return accounts.users().firstAdmin().map(found -> found.map(User::id));
  }

  private static void announceLink(String link) {
    // On the console itself, as well as in the log: this is what a new user looks for.
    String banner = "\n    No account exists yet. To create the first admin, open:\n\n        " + link
        + "\n\n    (or start with FAULTLINE_ADMIN_EMAIL and FAULTLINE_ADMIN_PASSWORD set)\n";
    LOG.info(banner);
  }
}
