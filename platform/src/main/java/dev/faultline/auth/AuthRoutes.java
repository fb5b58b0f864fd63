package dev.faultline.auth;

import dev.faultline.access.Caller;
import dev.faultline.api.ApiRoutes;
import dev.faultline.api.Responses;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.OptionalLong;

/**
 * {@code /api/auth/*}: register, verify, sign in and out, who am I, change and reset the password,
 * and the first-run setup. A sign-in answers with the session token for API clients and sets it as
 * an {@code HttpOnly}, {@code SameSite=Strict} cookie for the dashboard, where page scripts cannot
 * read it.
 */
final class AuthRoutes implements ApiRoutes {

  private final Accounts accounts;
  private final FirstRun firstRun;
  private final Sessions sessions;
  private final LoginLimiter limiter;
  private final AuthSettings settings;
  private final JsonArray oauthProviders;

  AuthRoutes(Accounts accounts, FirstRun firstRun, Sessions sessions, LoginLimiter limiter, AuthSettings settings) {
    this.accounts = accounts;
    this.firstRun = firstRun;
    this.sessions = sessions;
    this.limiter = limiter;
    this.settings = settings;
    this.oauthProviders = new JsonArray(settings.oauth().stream()
        .map(p -> new JsonObject().put("id", p.id()).put("name", p.name())).toList());
  }

  @Override
  public void mount(Router router) {
    router.get("/api/auth/config").handler(ctx -> firstRun.needed()
        .map(needed -> new JsonObject().put("setup_needed", needed).put("registration", settings.registration())
            .put("oauth_providers", oauthProviders.copy()))
        .onComplete(result -> reply(ctx, 200, result.result(), result.cause())));
    router.post("/api/auth/setup").handler(ctx -> signingIn(ctx, 201, body -> firstRun.complete(
        Bodies.text(body, "token"), Bodies.text(body, "email"), Bodies.text(body, "password"))
        .compose(sessions::open)));
    router.post("/api/auth/register").handler(ctx -> Bodies.answer(ctx, 201, body -> {
      if (!settings.registration()) {
        throw AuthException.forbidden("registration is closed on this Faultline (auth.registration)");
      }
      return accounts.register(Bodies.text(body, "email"), Bodies.text(body, "password"), Browser.baseUrl(settings, ctx))
          .map(AuthRoutes::registered);
    }));
    router.post("/api/auth/login").handler(this::login);
    router.post("/api/auth/logout").handler(this::logout);
    router.post("/api/auth/verify").handler(ctx -> Bodies.answer(ctx, 200, body ->
        accounts.verify(Bodies.text(body, "token")).map(user -> new JsonObject().put("user", user.toJson()))));
    router.post("/api/auth/reset").handler(ctx -> Bodies.answer(ctx, 202, body ->
        accounts.requestReset(Bodies.text(body, "email"), Browser.baseUrl(settings, ctx))));
    router.post("/api/auth/reset/confirm").handler(ctx -> Bodies.answer(ctx, 204, body ->
        accounts.reset(Bodies.text(body, "token"), Bodies.text(body, "password"))));
    // Signed in (the gate runs first for these):
    router.get("/api/auth/me").handler(ctx -> accounts.users().byId(Caller.of(ctx).userId())
        .onComplete(found -> reply(ctx, 200, found.succeeded() ? found.result().map(User::toJson).orElse(null) : null,
            found.cause())));
    router.post("/api/auth/verify/resend").handler(ctx -> Bodies.answer(ctx, 202, body ->
        accounts.users().byId(Caller.of(ctx).userId()).compose(user -> user.get().verified()
            ? Future.failedFuture(AuthException.conflict(null, "this email is already verified"))
            : accounts.sendVerification(user.get(), Browser.baseUrl(settings, ctx)))));
    router.post("/api/auth/password").handler(ctx -> signingIn(ctx, 200, body -> accounts.changePassword(
        Caller.of(ctx), Bodies.text(body, "current_password"), Bodies.text(body, "new_password"))));
  }

  /**
   * 201 whether or not the mail went out: the account exists either way, and a client that read a
   * failure as "not registered" would only meet a 409 when it tried again.
   */
  private static JsonObject registered(Accounts.Registered registered) {
    JsonObject answer = new JsonObject().put("user", registered.user().toJson());
    return registered.mailed() ? answer.put("verification", "sent") : answer.put("verification", "failed")
        .put("message", "the account exists, but the verification mail could not be sent (the mail server failed); "
            + "sign in and ask for a new one (POST /api/auth/verify/resend)");
  }

  private void login(RoutingContext ctx) {
    String address = ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress();
    signingIn(ctx, 200, body -> {
      String email = Users.normalize(String.valueOf(Bodies.text(body, "email")));
      OptionalLong wait = limiter.retryAfter(address, email);
      if (wait.isPresent()) {
        ctx.response().putHeader("Retry-After", String.valueOf(wait.getAsLong()));
        throw AuthException.tooMany("too many failed sign-ins; try again in " + wait.getAsLong() + " s");
      }
      return accounts.signIn(email, Bodies.text(body, "password"))
          .onSuccess(issued -> limiter.succeeded(email))
          .onFailure(e -> limiter.failed(address, email));
    });
  }

  private void logout(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(SignInGate.COOKIE);
    String header = ctx.request().getHeader("Authorization");
    String token = cookie != null ? cookie.getValue()
        : header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    Future<Void> closed = token == null || token.startsWith(ApiTokens.PREFIX) ? Future.succeededFuture()
        : sessions.close(token);
    closed.onComplete(v -> {
      ctx.response().addCookie(Browser.sessionCookie(settings, "").setMaxAge(0));
      ctx.response().setStatusCode(204).end();
    });
  }

  /** Answers a sign-in: the token in the body and in the dashboard's cookie. */
  private void signingIn(RoutingContext ctx, int status, java.util.function.Function<JsonObject, Future<Sessions.Issued>> action) {
    Bodies.answer(ctx, status, body -> action.apply(body).map(issued -> {
      ctx.response().addCookie(Browser.sessionCookie(settings, issued.token()).setMaxAge(sessions.ttlSeconds()));
      return issued.toJson();
    }));
  }


  private static void reply(RoutingContext ctx, int status, Object value, Throwable failure) {
    if (failure != null) {
      Responses.failure(ctx, failure);
    } else if (value == null) {
      Responses.error(ctx, 404, null, "no such account");
    } else {
      Responses.json(ctx, status, value);
    }
  }
}
