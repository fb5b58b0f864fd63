package dev.faultline.auth;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * What the account routes tell a browser: the session cookie (the same for a password and a social
 * sign-in) and the address links point back to.
 */
final class Browser {

  private Browser() {
  }

  /**
   * The dashboard's session cookie: {@code HttpOnly} (no page script reads it), {@code SameSite=Strict}
   * (no other site's page sends it), {@code Secure} when Faultline is reached over https.
   */
  static Cookie sessionCookie(AuthSettings settings, String value) {
    return Cookie.cookie(SignInGate.COOKIE, value).setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setPath("/")
        .setSecure(secure(settings));
  }

  static boolean secure(AuthSettings settings) {
    return settings.publicUrl() != null && settings.publicUrl().startsWith("https:");
  }

  /**
   * Where links point: the configured public address, else the one this request came to (a
   * {@code Host} the admin guard has already checked is one of ours).
   */
  static String baseUrl(AuthSettings settings, RoutingContext ctx) {
    return settings.publicUrl() != null ? settings.publicUrl()
        : ctx.request().scheme() + "://" + ctx.request().authority().toString();
  }
}
