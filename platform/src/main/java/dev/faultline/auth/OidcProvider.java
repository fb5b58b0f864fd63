package dev.faultline.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2AuthorizationURL;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;
import java.time.Instant;
import java.util.List;

/**
 * An OpenID Connect provider (Google is one, at a known issuer): endpoints and signing keys from
 * its discovery document, identity from the id_token it signs. The discovery is read on first use
 * rather than at start, so a provider that is down does not stop Faultline; a failed one is read
 * again next time.
 */
final class OidcProvider implements SocialProvider {

  static final String GOOGLE_ISSUER = "https://accounts.google.com";
  private static final List<String> SCOPES = List.of("openid", "email", "profile");

  private final Vertx vertx;
  private final AuthSettings.OAuthProvider settings;
  private Future<Discovered> discovered;

  private record Discovered(OAuth2Auth auth, String issuer) {
  }

  OidcProvider(Vertx vertx, AuthSettings.OAuthProvider settings) {
    this.vertx = vertx;
    this.settings = settings;
  }

  @Override
  public AuthSettings.OAuthProvider settings() {
    return settings;
  }

  @Override
  public Future<String> authorizeUrl(Attempt attempt) {
    return discovered().map(found -> found.auth().authorizeURL(new OAuth2AuthorizationURL()
        .setRedirectUri(attempt.redirectUri())
        .setScopes(SCOPES)
        .setState(attempt.state())
        .setCodeChallenge(attempt.codeChallenge())
        .setCodeChallengeMethod("S256")
        .putAdditionalParameter("nonce", attempt.nonce())));
  }

  @Override
  public Future<Identity> identify(String code, Attempt attempt) {
    return discovered().compose(found -> found.auth().authenticate(new Oauth2Credentials()
            .setFlow(OAuth2FlowType.AUTH_CODE)
            .setCode(code)
            .setRedirectUri(attempt.redirectUri())
            .setCodeVerifier(attempt.codeVerifier()))
        .recover(e -> Future.failedFuture(SocialProvider.refused(settings.name() + " did not accept the sign-in code: "
            + e.getMessage())))
        .map(user -> identity(user, found.issuer(), attempt.nonce())));
  }

  /**
   * The id_token's claims, once Vert.x has checked its signature against the provider's keys.
   * Vert.x drops an id_token it cannot verify rather than failing, and checks neither the nonce
   * nor a missing audience: those are checked here.
   */
  private Identity identity(User user, String issuer, String nonce) {
    JsonObject claims = user.attributes().getJsonObject("idToken");
    if (claims == null) {
      throw SocialProvider.refused(settings.name() + " sent no id_token that verifies against its published keys");
    }
    if (!issuer.equals(claims.getString("iss"))) {
      throw SocialProvider.refused(settings.name() + "'s id_token names another issuer");
    }
    Object audience = claims.getValue("aud");
    boolean forUs = audience instanceof String single ? single.equals(settings.clientId())
        : audience instanceof JsonArray many && many.contains(settings.clientId());
    if (!forUs) {
      throw SocialProvider.refused(settings.name() + "'s id_token was issued to another application");
    }
    if (!nonce.equals(claims.getString("nonce"))) {
      throw SocialProvider.refused(settings.name() + "'s id_token belongs to another sign-in (nonce)");
    }
    Long expires = claims.getLong("exp");
    if (expires == null || expires < Instant.now().getEpochSecond()) {
      throw SocialProvider.refused(settings.name() + "'s id_token has expired");
    }
    String subject = claims.getString("sub");
    if (subject == null || subject.isBlank()) {
      throw SocialProvider.refused(settings.name() + "'s id_token names nobody (no sub)");
    }
    Object verified = claims.getValue("email_verified");
    return new Identity(subject, claims.getString("email"),
        Boolean.TRUE.equals(verified) || "true".equals(verified));
  }

  private synchronized Future<Discovered> discovered() {
    if (discovered == null) {
      OAuth2Options options = new OAuth2Options()
          .setSite(issuer())
          .setClientId(settings.clientId())
          .setClientSecret(settings.clientSecret());
      Future<Discovered> attempt = OpenIDConnectAuth.discover(vertx, options)
          .compose(auth -> {
            // Without published keys Vert.x would accept an id_token it cannot check.
            if (options.getJwkPath() == null || options.getJWTOptions() == null
                || options.getJWTOptions().getIssuer() == null) {
              return Future.failedFuture(settings.name() + "'s discovery document names no jwks_uri or issuer");
            }
            return Future.succeededFuture(new Discovered(auth, options.getJWTOptions().getIssuer()));
          })
          .recover(e -> Future.failedFuture(SocialProvider.refused(settings.name() + " cannot be reached to sign "
              + "in (" + issuer() + "): " + e.getMessage())));
      discovered = attempt;
      // A failed discovery is tried again by the next sign-in.
      attempt.onFailure(e -> forget(attempt));
    }
    return discovered;
  }

  private synchronized void forget(Future<Discovered> failed) {
    if (discovered == failed) {
      discovered = null;
    }
  }

  private String issuer() {
    return settings.issuer() != null ? settings.issuer() : GOOGLE_ISSUER;
  }
}
