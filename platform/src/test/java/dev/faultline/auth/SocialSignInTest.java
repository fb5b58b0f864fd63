package dev.faultline.auth;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Social sign-in end to end against a real OpenID Connect server (mock-oauth2-server, in-process on
 * a free port, which signs its tokens, checks PKCE and echoes the nonce), driven as a browser
 * would: each redirect followed by hand, cookies kept per "browser".
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocialSignInTest {

  private static final String ISSUER_ID = "corp";
  private static final String CLIENT_ID = "faultline-test";

  @TempDir
  Path dataDir;

  private MockOAuth2Server oidc;
  private Faultline faultline;
  private WebClient browser;
  private WebClient admin;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    oidc = new MockOAuth2Server();
    oidc.start(InetAddress.getByName("127.0.0.1"), 0);
    browser = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false).setKeepAlive(false));
    admin = FaultlineHarness.client(vertx);
  }

  @AfterEach
  void stop() {
    if (faultline != null) {
      await(faultline.stop());
    }
    oidc.shutdown();
  }

  private void startFaultline(Vertx vertx, boolean registration) {
    FaultlineConfig config = FaultlineHarness.config(dataDir);
    AuthSettings auth = config.auth();
    auth = new AuthSettings(auth.publicUrl(), auth.sessionSeconds(), auth.sessionSecret(), auth.adminEmail(),
        auth.adminPassword(), auth.adminToken(), registration, auth.metricsOpen(), auth.smtp(),
        List.of(new AuthSettings.OAuthProvider("corp", "Corp SSO", "oidc", CLIENT_ID, "s3cret-client",
            oidc.issuerUrl(ISSUER_ID).toString())));
    faultline = await(Faultline.start(vertx, config.withAuth(auth)));
  }

  @Test
  void signingInCreatesAVerifiedAccountAndASession(Vertx vertx) {
    startFaultline(vertx, true);
    String start = "/api/auth/oauth/corp/start";
    HttpResponse<Buffer> started = get(start, null);
    expect(started, 302);
    URI authorize = URI.create(started.getHeader("Location"));
    Map<String, String> query = query(authorize);
    assertEquals(oidc.authorizationEndpointUrl(ISSUER_ID).toString(), authorize.toString().split("\\?")[0]);
    assertEquals("S256", query.get("code_challenge_method"));
    assertNotNull(query.get("code_challenge"));
    assertNotNull(query.get("nonce"));
    assertNotNull(query.get("state"));
    assertEquals("openid email profile", query.get("scope"));
    assertEquals("http://127.0.0.1:" + faultline.adminPort() + "/api/auth/oauth/corp/callback", query.get("redirect_uri"));
    String browserCookie = cookie(started, OAuthRoutes.BROWSER_COOKIE);
    assertTrue(started.headers().getAll("Set-Cookie").stream().anyMatch(c -> c.toLowerCase().contains("httponly")
        && c.contains("SameSite=Lax") && c.contains("Path=/api/auth/oauth/")), started.headers().getAll("Set-Cookie").toString());

    String session = signIn(started, browserCookie, "sub-new", "new.person@example.com", true);
    JsonObject me = me(session);
    assertEquals("new.person@example.com", me.getString("email"));
    assertTrue(me.getBoolean("verified"));
    assertEquals("user", me.getString("role"));

    JsonArray audit = expect(await(admin.get(faultline.adminPort(), "127.0.0.1", "/api/audit").send()), 200)
        .bodyAsJsonObject().getJsonArray("entries");
    assertTrue(audit.stream().map(JsonObject.class::cast).anyMatch(e -> "account.oauth_signin".equals(e.getString("action"))
        && me.getString("id").equals(e.getString("actor_id"))), audit.encodePrettily());
    assertFalse(audit.encode().contains("s3cret-client"));
  }

  @Test
  void aVerifiedEmailLinksTheExistingAccountAndTheIdentityFindsItAgain(Vertx vertx) {
    startFaultline(vertx, true);
    String first = signIn(startSignIn(), null, "sub-admin", FaultlineHarness.ADMIN_EMAIL, true);
    JsonObject me = me(first);
    assertEquals(FaultlineHarness.ADMIN_EMAIL, me.getString("email"));
    assertEquals("admin", me.getString("role"));

    // The provider's address changed since; the identity, not the email, finds the account now.
    String second = signIn(startSignIn(), null, "sub-admin", "renamed@example.com", true);
    assertEquals(me.getString("id"), me(second).getString("id"));
  }

  @Test
  void linkingAnUnverifiedAccountTakesAwayThePasswordItsRegistrantSet(Vertx vertx) {
    startFaultline(vertx, true);
    String email = "victim@example.com";
    String password = "squatter-chose-this-1";
    expect(await(browser.post(faultline.adminPort(), "127.0.0.1", "/api/auth/register")
        .sendJsonObject(new JsonObject().put("email", email).put("password", password))), 201);

    String session = signIn(startSignIn(), null, "sub-victim", email, true);
    JsonObject me = me(session);
    assertEquals(email, me.getString("email"));
    assertTrue(me.getBoolean("verified"));
    expect(await(browser.post(faultline.adminPort(), "127.0.0.1", "/api/auth/login")
        .sendJsonObject(new JsonObject().put("email", email).put("password", password))), 401);
  }

  @Test
  void aReplayedCallbackIsRefused(Vertx vertx) {
    startFaultline(vertx, true);
    HttpResponse<Buffer> started = startSignIn();
    String browserCookie = cookie(started, OAuthRoutes.BROWSER_COOKIE);
    String callback = callbackUrl(started, "sub-replay", "replay@example.com", true);
    HttpResponse<Buffer> first = get(callback, browserCookie);
    assertEquals("/", first.getHeader("Location"));
    HttpResponse<Buffer> again = get(callback, browserCookie);
    assertTrue(refusal(again).contains("already used"), refusal(again));
    assertTrue(again.headers().getAll("Set-Cookie").stream().noneMatch(c -> c.startsWith(SignInGate.COOKIE + "=")));
  }

  @Test
  void aCallbackWithoutStateIsRefused(Vertx vertx) {
    startFaultline(vertx, true);
    HttpResponse<Buffer> started = startSignIn();
    String callback = callbackUrl(started, "sub-nostate", "nostate@example.com", true);
    String withoutState = callback.replaceAll("([?&])state=[^&]*&?", "$1");
    assertFalse(withoutState.contains("state="));
    String why = refusal(get(withoutState, cookie(started, OAuthRoutes.BROWSER_COOKIE)));
    assertTrue(why.contains("no state"), why);
  }

  @Test
  void aStateStartedInAnotherBrowserIsRefusedAndStaysUsableForItsOwn(Vertx vertx) {
    startFaultline(vertx, true);
    HttpResponse<Buffer> victims = startSignIn();
    String callback = callbackUrl(victims, "sub-attacker", "attacker@example.com", true);

    String none = refusal(get(callback, null));
    assertTrue(none.contains("not started in this browser"), none);
    String otherCookie = cookie(startSignIn(), OAuthRoutes.BROWSER_COOKIE);
    String other = refusal(get(callback, otherCookie));
    assertTrue(other.contains("another browser"), other);

    HttpResponse<Buffer> own = get(callback, cookie(victims, OAuthRoutes.BROWSER_COOKIE));
    assertEquals("/", own.getHeader("Location"));
    assertEquals("attacker@example.com", me(cookie(own, SignInGate.COOKIE)).getString("email"));
  }

  @Test
  void anUnverifiedEmailIsRefused(Vertx vertx) {
    startFaultline(vertx, true);
    HttpResponse<Buffer> started = startSignIn();
    String why = refusal(get(callbackUrl(started, "sub-unverified", FaultlineHarness.ADMIN_EMAIL, false),
        cookie(started, OAuthRoutes.BROWSER_COOKIE)));
    assertTrue(why.contains("no verified email"), why);
  }

  @Test
  void withRegistrationClosedAnUnknownEmailIsRefused(Vertx vertx) {
    startFaultline(vertx, false);
    HttpResponse<Buffer> started = startSignIn();
    String why = refusal(get(callbackUrl(started, "sub-stranger", "stranger@example.com", true),
        cookie(started, OAuthRoutes.BROWSER_COOKIE)));
    assertTrue(why.contains("registration is closed"), why);
    // A known one still signs in.
    String session = signIn(startSignIn(), null, "sub-admin", FaultlineHarness.ADMIN_EMAIL, true);
    assertEquals(FaultlineHarness.ADMIN_EMAIL, me(session).getString("email"));
  }

  @Test
  void aDisabledAccountIsRefused(Vertx vertx) {
    startFaultline(vertx, true);
    String id = me(signIn(startSignIn(), null, "sub-gone", "gone@example.com", true)).getString("id");
    expect(await(admin.patch(faultline.adminPort(), "127.0.0.1", "/api/users/" + id)
        .sendJsonObject(new JsonObject().put("disabled", true))), 200);
    HttpResponse<Buffer> started = startSignIn();
    String why = refusal(get(callbackUrl(started, "sub-gone", "gone@example.com", true),
        cookie(started, OAuthRoutes.BROWSER_COOKIE)));
    assertTrue(why.contains("disabled"), why);
  }

  @Test
  void anUnknownProviderIsRefused(Vertx vertx) {
    startFaultline(vertx, true);
    String why = refusal(get("/api/auth/oauth/nope/start", null));
    assertTrue(why.contains("no sign-in provider named 'nope'"), why);
  }

  private HttpResponse<Buffer> startSignIn() {
    return expect(get("/api/auth/oauth/corp/start", null), 302);
  }

  /** The whole flow after start: the provider signs {@code email} in; Faultline's session cookie. */
  private String signIn(HttpResponse<Buffer> started, String browserCookie, String subject, String email,
                        boolean verified) {
    String cookie = browserCookie != null ? browserCookie : cookie(started, OAuthRoutes.BROWSER_COOKIE);
    HttpResponse<Buffer> done = expect(get(callbackUrl(started, subject, email, verified), cookie), 302);
    assertEquals("/", done.getHeader("Location"), "refused: " + done.getHeader("Location"));
    assertTrue(done.headers().getAll("Set-Cookie").stream().anyMatch(c -> c.startsWith(SignInGate.COOKIE + "=")
        && c.toLowerCase().contains("httponly") && c.contains("SameSite=Strict") && c.contains("Path=/")));
    return cookie(done, SignInGate.COOKIE);
  }

  /** The provider's authorize page (which signs in at once as the enqueued person): where it sends the browser back. */
  private String callbackUrl(HttpResponse<Buffer> started, String subject, String email, boolean verified) {
    oidc.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", null,
        Map.of("email", email, "email_verified", verified), 3600));
    HttpResponse<Buffer> authorized = expect(await(browser.getAbs(started.getHeader("Location")).send()), 302);
    URI back = URI.create(authorized.getHeader("Location"));
    assertEquals(faultline.adminPort(), back.getPort());
    return back.getRawPath() + "?" + back.getRawQuery();
  }

  private HttpResponse<Buffer> get(String path, String cookie) {
    var request = browser.get(faultline.adminPort(), "127.0.0.1", path);
    if (cookie != null) {
      request.putHeader("Cookie", cookie);
    }
    return await(request.send());
  }

  private JsonObject me(String sessionCookie) {
    return expect(await(browser.get(faultline.adminPort(), "127.0.0.1", "/api/auth/me")
        .putHeader("Cookie", sessionCookie).send()), 200).bodyAsJsonObject();
  }

  /** The message a refused sign-in takes to the sign-in page. */
  private static String refusal(HttpResponse<Buffer> response) {
    expect(response, 302);
    String location = response.getHeader("Location");
    assertTrue(location.startsWith("/login?error="), location);
    return URLDecoder.decode(location.substring("/login?error=".length()), StandardCharsets.UTF_8);
  }

  /** {@code name=value} from the response's Set-Cookie for {@code name}. */
  private static String cookie(HttpResponse<Buffer> response, String name) {
    return response.headers().getAll("Set-Cookie").stream()
        .filter(c -> c.startsWith(name + "=") && !c.startsWith(name + "=;"))
        .map(c -> c.split(";", 2)[0])
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + response.headers().getAll("Set-Cookie")));
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> params = new java.util.HashMap<>();
    for (String pair : uri.getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      params.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return params;
  }
}
