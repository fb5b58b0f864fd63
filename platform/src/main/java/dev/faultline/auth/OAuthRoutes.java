package dev.faultline.auth;

import dev.faultline.api.ApiRoutes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Social sign-in, as full-page navigations: {@code /api/auth/oauth/<id>/start} sends the browser
 * to the provider, which sends it back to {@code /api/auth/oauth/<id>/callback}. Both answer with
 * redirects, never JSON: on success to the dashboard, signed in with the same session cookie a
 * password sign-in sets; on any failure to {@code /login?error=<why>}, which the dashboard shows.
 */
final class OAuthRoutes implements ApiRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(OAuthRoutes.class);

  /** Binds a sign-in to the browser that started it; sent only back to these routes. */
  static final String BROWSER_COOKIE = "faultline_oauth";
  private static final String PATH = "/api/auth/oauth/";

  private final Map<String, SocialProvider> providers = new LinkedHashMap<>();
  private final OAuthStates states;
  private final SocialSignIn signIn;
  private final Sessions sessions;
  private final AuthSettings settings;

  OAuthRoutes(Vertx vertx, OAuthStates states, SocialSignIn signIn, Sessions sessions, AuthSettings settings) {
    this.states = states;
    this.signIn = signIn;
    this.sessions = sessions;
    this.settings = settings;
    settings.oauth().forEach(provider -> providers.put(provider.id(), SocialProvider.of(vertx, provider)));
  }

  @Override
  public void mount(Router router) {
    router.get(PATH + ":provider/start").handler(this::start);
    router.get(PATH + ":provider/callback").handler(this::callback);
  }

  private void start(RoutingContext ctx) {
    SocialProvider provider = providers.get(ctx.pathParam("provider"));
    if (provider == null) {
      failed(ctx, "there is no sign-in provider named '" + ctx.pathParam("provider") + "' on this Faultline");
      return;
    }
    String id = provider.settings().id();
    String redirectUri = Browser.baseUrl(settings, ctx) + PATH + id + "/callback";
    states.begin(id, redirectUri)
        .compose(started -> provider.authorizeUrl(new SocialProvider.Attempt(started.state(), started.codeChallenge(),
                null, started.nonce(), redirectUri))
            .map(url -> {
              ctx.response().addCookie(browserCookie(started.browser()).setMaxAge(OAuthStates.TTL.toSeconds()));
              return url;
            }))
        .onSuccess(url -> redirect(ctx, url))
        .onFailure(e -> failed(ctx, provider, e));
  }

  private void callback(RoutingContext ctx) {
    SocialProvider provider = providers.get(ctx.pathParam("provider"));
    if (provider == null) {
      failed(ctx, "there is no sign-in provider named '" + ctx.pathParam("provider") + "' on this Faultline");
      return;
    }
    AuthSettings.OAuthProvider named = provider.settings();
    Cookie browser = ctx.request().getCookie(BROWSER_COOKIE);
    // Whatever happens next, this attempt is over.
    ctx.response().addCookie(browserCookie("").setMaxAge(0));
    String error = ctx.request().getParam("error");
    String state = ctx.request().getParam("state");
    String code = ctx.request().getParam("code");
    if (error != null) {
      // Only the error code: the description is the provider's text, not ours to show.
      failed(ctx, named.name() + " did not sign you in (" + error.replaceAll("[^A-Za-z0-9_.-]", "") + ")");
    } else if (state == null || state.isBlank()) {
      failed(ctx, "the answer from " + named.name() + " carries no state: start the sign-in again");
    } else if (code == null || code.isBlank()) {
      failed(ctx, "the answer from " + named.name() + " carries no code: start the sign-in again");
    } else if (browser == null || browser.getValue().isBlank()) {
      failed(ctx, "this sign-in was not started in this browser (or it took more than "
          + OAuthStates.TTL.toMinutes() + " minutes, or cookies are blocked): start it again");
    } else {
      states.use(named.id(), state, browser.getValue())
          .compose(redirectUri -> redirectUri.isEmpty()
              ? Future.failedFuture(SocialProvider.refused("this sign-in is unknown, already used, expired or was "
                  + "started in another browser: start it again"))
              : provider.identify(code, new SocialProvider.Attempt(state, null,
                  OAuthStates.verifier(state, browser.getValue()), OAuthStates.nonce(state, browser.getValue()),
                  redirectUri.get())))
          .compose(identity -> signIn.signIn(named, identity))
          .onSuccess(issued -> {
            ctx.response().addCookie(Browser.sessionCookie(settings, issued.token()).setMaxAge(sessions.ttlSeconds()));
            redirect(ctx, dashboard(ctx) + "/");
          })
          .onFailure(e -> failed(ctx, provider, e));
    }
  }

  private void failed(RoutingContext ctx, SocialProvider provider, Throwable e) {
    if (e instanceof SocialProvider.SocialSignInException) {
      failed(ctx, e.getMessage());
    } else {
      LOG.warn("Sign-in through {} failed: {}", provider.settings().id(), String.valueOf(e.getMessage()));
      failed(ctx, "the sign-in through " + provider.settings().name() + " failed on this Faultline; the log says why");
    }
  }

  private void failed(RoutingContext ctx, String why) {
    LOG.info("Social sign-in refused: {}", why);
    redirect(ctx, dashboard(ctx) + "/login?error=" + URLEncoder.encode(why, StandardCharsets.UTF_8));
  }

  private static void redirect(RoutingContext ctx, String location) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, location)
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end();
    }
  }

  /** The browser's value: {@code Lax}, so the provider's top-level redirect back brings it along. */
  private Cookie browserCookie(String value) {
    return Cookie.cookie(BROWSER_COOKIE, value).setHttpOnly(true).setSameSite(CookieSameSite.LAX).setPath(PATH)
        .setSecure(Browser.secure(settings));
  }


  /** The dashboard's pages: beside these routes (relative, unless a public address is configured). */
  private String dashboard(RoutingContext ctx) {
    return settings.publicUrl() != null ? settings.publicUrl() : "";
  }
}
