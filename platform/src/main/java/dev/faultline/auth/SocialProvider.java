package dev.faultline.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * A configured social sign-in provider: where to send the browser, and who came back. Each kind
 * speaks its own protocol after the code exchange (OpenID Connect's signed id_token; GitHub's
 * REST API), so the routes see only this.
 */
interface SocialProvider {

  /** Who the provider says signed in: its stable id for the person, and their email as it vouches for it. */
  record Identity(String subject, String email, boolean emailVerified) {
  }

  /** What one sign-in carries from the start to the callback (see {@link OAuthStates}). */
  record Attempt(String state, String codeChallenge, String codeVerifier, String nonce, String redirectUri) {
  }

  AuthSettings.OAuthProvider settings();

  /** The provider's page the browser goes to, with state, PKCE challenge (S256) and, for OpenID, the nonce. */
  Future<String> authorizeUrl(Attempt attempt);

  /** Exchanges the callback's {@code code} (with the PKCE verifier) and reads who signed in. */
  Future<Identity> identify(String code, Attempt attempt);

  static SocialProvider of(Vertx vertx, AuthSettings.OAuthProvider settings) {
    return "github".equals(settings.kind()) ? new GithubProvider(vertx, settings) : new OidcProvider(vertx, settings);
  }

  /** A failure that the person is shown (on the sign-in page) as it is. */
  static SocialSignInException refused(String message) {
    return new SocialSignInException(message);
  }

  final class SocialSignInException extends RuntimeException {
    SocialSignInException(String message) {
      super(message, null, false, false);
    }
  }
}
