package dev.faultline.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.faultline.api.ApiRoutes;
import dev.faultline.api.Responses;
import dev.faultline.access.Caller;
import dev.faultline.access.Credentials;
import dev.faultline.feature.Feature;
import dev.faultline.proxy.control.ProxyManager;
import dev.faultline.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Accounts: who may use the admin API and what they see. Its sign-in gate stands in front of every
 * admin route but the few a person needs before signing in; its routes are the account's own
 * ({@code /api/auth}, {@code /api/tokens}, {@code /api/users}, {@code /api/audit}).
 */
public final class AuthFeature implements Feature {

  /** Before every admin route's own handlers, after the Host/Origin guard and the body-type check. */
  static final int GATE_ORDER = -8;

  /**
   * What a person reaches without a session: signing in, what leads to it, and the API's contract
   * (which describes routes, never anyone's data).
   */
  private static final Set<String> PUBLIC = Set.of("/api/auth/config", "/api/auth/setup", "/api/auth/register",
      "/api/auth/login", "/api/auth/logout", "/api/auth/verify", "/api/auth/reset", "/api/auth/reset/confirm",
      "/api/openapi.json");
  private static final String OAUTH = "/api/auth/oauth/";

  private final Vertx vertx;
  private final AuthSettings settings;
  private final Path dataDir;
  private final Users users;
  private final ApiTokens tokens;
  private final OneTimeLinks links;
  private final AuditTrail audit;
  private final LoginLimiter limiter = new LoginLimiter(5, 20, TimeUnit.MINUTES.toMillis(15));
  private final Sessions sessions;
  private final Accounts accounts;
  private final OAuthRoutes oauth;
  private FirstRun firstRun;
  private final Cache<String, Boolean> admins = Caffeine.newBuilder().expireAfterWrite(Duration.ofMinutes(1))
      .maximumSize(10_000).build();

  public AuthFeature(Vertx vertx, Database database, AuthSettings settings, Path dataDir) {
    this.vertx = vertx;
    this.settings = settings;
    this.dataDir = dataDir;
    this.tokens = new ApiTokens(database);
    this.users = new Users(database, id -> {
      tokens.forget();
      admins.invalidate(id);
    });
    this.links = new OneTimeLinks(database);
    this.audit = new AuditTrail(database);
    this.sessions = new Sessions(vertx, database, settings.sessionSeconds());
    this.accounts = new Accounts(users, new Passwords(vertx), sessions, links, mailer(vertx, settings), audit);
    this.oauth = new OAuthRoutes(vertx, new OAuthStates(database), new SocialSignIn(users, new Identities(database),
        sessions, audit, settings.registration()), sessions, settings);
  }

  /** The configured SMTP server, else the log (the embedded default: no mail server needed). */
  private static Mailer mailer(Vertx vertx, AuthSettings settings) {
    return settings.smtp() != null ? new SmtpMailer(vertx, settings.smtp()) : new LogMailer();
  }

  /**
   * Whether account {@code userId} is an enabled admin now (whose proxies may reach private
   * networks). Asked on every request such a proxy forwards, so answered from memory; a change of
   * role or a disabled account (any change {@link Users} stores) is seen at once on this node, and
   * on other nodes within a minute.
   */
  public Future<Boolean> isAdmin(String userId) {
    Boolean known = admins.getIfPresent(userId);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return users.byId(userId).map(user -> user.map(u -> u.admin() && !u.disabled()).orElse(false))
        .onSuccess(admin -> admins.put(userId, admin));
  }

  /**
   * Reads (or makes) the session signing key, on a worker: it is a file. Then the first admin from
   * the configuration, or a setup link, before the admin API answers anything. In a cluster, the
   * other nodes' revoked tokens and changed users are followed from then on.
   */
  @Override
  public Future<Void> start(Deployer deployer) {
    return vertx.executeBlocking(() -> SigningKey.load(settings.sessionSecret(), dataDir))
        .compose(key -> {
          sessions.signWith(key);
          return firstRun.prepare();
        })
        .compose(v -> vertx.isClustered() ? tokens.follow(vertx) : Future.succeededFuture());
  }

  @Override
  public List<ApiRoutes> routes(ProxyManager proxies) {
    firstRun = new FirstRun(accounts, links, tokens, settings, proxies::adoptOrphans);
    SignInGate gate = new SignInGate(sessions, tokens, audit);
    ApiRoutes gates = router -> {
      router.route("/api/*").order(GATE_ORDER).handler(ctx -> {
        String path = ctx.normalizedPath();
        if (PUBLIC.contains(path) || path.startsWith(OAUTH)) {
          ctx.next();
        } else {
          gate.handle(ctx);
        }
      });
      router.route("/eventbus/*").order(GATE_ORDER).handler(gate);
      if (!settings.metricsOpen()) {
        router.route("/metrics").order(GATE_ORDER).handler(gate).handler(AuthFeature::adminOnly);
      }
    };
    return List.of(gates, new AuthRoutes(accounts, firstRun, sessions, limiter, settings), new TokenRoutes(tokens),
        new UserRoutes(users, sessions), new AuditRoutes(audit), oauth);
  }

  /**
   * Once the admin API listens: prints the setup link for a new user, when there is no account
   * yet (the first admin was made, or the link, when the feature started).
   */
  public void announceSetup(String adminUrl) {
    firstRun.announce(settings.publicUrl() != null ? settings.publicUrl() : adminUrl);
  }

  /** The first admin's id, owner of the demo proxy; empty before there is one. */
  public Future<Optional<String>> firstAdmin() {
    return firstRun.firstAdmin();
  }

  /** Who a bearer token signs in as, checked as the sign-in gate checks it: for the TCP bridge. */
  public Credentials credentials() {
    return bearer -> bearer.startsWith(ApiTokens.PREFIX) ? tokens.check(bearer) : sessions.check(bearer);
  }

  private static void adminOnly(RoutingContext ctx) {
    if (Caller.of(ctx).admin()) {
      ctx.next();
    } else {
      Responses.error(ctx, 403, null, "/metrics shows every proxy: an admin's token is needed (or set "
          + "auth.metrics_open for a Prometheus on a trusted network)");
    }
  }
}
