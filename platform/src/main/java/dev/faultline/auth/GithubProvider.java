package dev.faultline.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2AuthorizationURL;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import java.util.List;

/**
 * GitHub, which is OAuth 2 without OpenID: after the code exchange, who signed in comes from its
 * REST API ({@code /user} for the stable numeric id, {@code /user/emails} for the primary address
 * and whether GitHub verified it). With an {@code issuer}, a GitHub Enterprise Server at that
 * address ({@code <issuer>/login/oauth/…}, API at {@code <issuer>/api/v3}).
 */
final class GithubProvider implements SocialProvider {

  private static final String GITHUB = "https://github.com";
  private static final String GITHUB_API = "https://api.github.com";
  private static final long TIMEOUT_MS = 15_000;

  private final AuthSettings.OAuthProvider settings;
  private final OAuth2Auth auth;
  private final HttpClientAgent http;
  private final String api;

  GithubProvider(Vertx vertx, AuthSettings.OAuthProvider settings) {
    this.settings = settings;
    String site = settings.issuer() != null ? settings.issuer() : GITHUB;
    this.api = settings.issuer() != null ? settings.issuer() + "/api/v3" : GITHUB_API;
    this.auth = OAuth2Auth.create(vertx, new OAuth2Options()
        .setSite(site)
        .setAuthorizationPath("/login/oauth/authorize")
        .setTokenPath("/login/oauth/access_token")
        .setClientId(settings.clientId())
        .setClientSecret(settings.clientSecret())
        .setHeaders(new JsonObject().put("Accept", "application/json")));
    this.http = vertx.createHttpClient();
  }

  @Override
  public AuthSettings.OAuthProvider settings() {
    return settings;
  }

  @Override
  public Future<String> authorizeUrl(Attempt attempt) {
    return Future.succeededFuture(auth.authorizeURL(new OAuth2AuthorizationURL()
        .setRedirectUri(attempt.redirectUri())
        .setScopes(List.of("read:user", "user:email"))
        .setState(attempt.state())
        .setCodeChallenge(attempt.codeChallenge())
        .setCodeChallengeMethod("S256")));
  }

  @Override
  public Future<Identity> identify(String code, Attempt attempt) {
    return auth.authenticate(new Oauth2Credentials()
            .setFlow(OAuth2FlowType.AUTH_CODE)
            .setCode(code)
            .setRedirectUri(attempt.redirectUri())
            .setCodeVerifier(attempt.codeVerifier()))
        .recover(e -> Future.failedFuture(SocialProvider.refused(settings.name() + " did not accept the sign-in code: "
            + e.getMessage())))
        .compose(user -> {
          String token = user.principal().getString("access_token");
          if (token == null) {
            return Future.failedFuture(SocialProvider.refused(settings.name() + " sent no access token"));
          }
          return get("/user", token).compose(profile -> get("/user/emails", token).map(emails ->
              identity(new JsonObject(profile), new JsonArray(emails))));
        });
  }

  private Identity identity(JsonObject profile, JsonArray emails) {
    Object id = profile.getValue("id");
    if (id == null) {
      throw SocialProvider.refused(settings.name() + " did not say who signed in (no id)");
    }
    for (Object item : emails) {
      if (item instanceof JsonObject email && email.getBoolean("primary", false)) {
        return new Identity(String.valueOf(id), email.getString("email"), email.getBoolean("verified", false));
      }
    }
    return new Identity(String.valueOf(id), null, false);
  }

  private Future<String> get(String path, String token) {
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(api + path)
            .setTimeout(TIMEOUT_MS)
            .putHeader("Authorization", "Bearer " + token)
            .putHeader("Accept", "application/vnd.github+json")
            .putHeader("User-Agent", "Faultline"))
        .compose(request -> request.send())
        .compose(response -> response.body().compose(body -> ok(response)
            ? Future.succeededFuture(body.toString())
            : Future.failedFuture(SocialProvider.refused(settings.name() + " answered " + response.statusCode()
                + " to " + path))));
  }

  private static boolean ok(HttpClientResponse response) {
    return response.statusCode() == 200;
  }
}
