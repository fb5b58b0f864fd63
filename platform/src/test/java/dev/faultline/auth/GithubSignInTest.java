package dev.faultline.auth;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.junit5.VertxExtension;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * GitHub's flow (OAuth 2 without OpenID) against a small real HTTP server that answers as GitHub
 * Enterprise Server does: authorize, the token exchange (checking PKCE), {@code /api/v3/user} and
 * {@code /api/v3/user/emails}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GithubSignInTest {

  private static final String TOKEN = "gho_test-access-token";

  @TempDir
  Path dataDir;

  private final Map<String, String> challenges = new ConcurrentHashMap<>();
  private volatile boolean primaryVerified = true;
  private HttpServer github;
  private Faultline faultline;
  private WebClient browser;

  @BeforeEach
  void start(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create());
    router.get("/login/oauth/authorize").handler(this::authorize);
    router.post("/login/oauth/access_token").handler(this::token);
    router.get("/api/v3/user").handler(ctx -> api(ctx, new JsonObject().put("id", 4242).put("login", "octo").encode()));
    router.get("/api/v3/user/emails").handler(ctx -> api(ctx, new JsonArray()
        .add(new JsonObject().put("email", "octo-old@example.com").put("primary", false).put("verified", true))
        .add(new JsonObject().put("email", "octo@example.com").put("primary", true).put("verified", primaryVerified))
        .encode()));
    github = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    FaultlineConfig config = FaultlineHarness.config(dataDir);
    config = config.withAuth(config.auth().withOAuth(List.of(new AuthSettings.OAuthProvider("github", "GitHub", "github",
        "Iv1.test", "github-secret", "http://127.0.0.1:" + github.actualPort()))));
    faultline = await(Faultline.start(vertx, config));
    browser = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false).setKeepAlive(false));
  }

  @AfterEach
  void stop() {
    await(faultline.stop());
    await(github.close());
  }

  @Test
  void signsInWithTheVerifiedPrimaryEmail() {
    HttpResponse<Buffer> done = flow();
    assertEquals("/", done.getHeader("Location"));
    String session = done.headers().getAll("Set-Cookie").stream().filter(c -> c.startsWith(SignInGate.COOKIE + "="))
        .map(c -> c.split(";", 2)[0]).findFirst().orElseThrow();
    JsonObject me = expect(await(browser.get(faultline.adminPort(), "127.0.0.1", "/api/auth/me")
        .putHeader("Cookie", session).send()), 200).bodyAsJsonObject();
    assertEquals("octo@example.com", me.getString("email"));
    assertTrue(me.getBoolean("verified"));
  }

  @Test
  void anUnverifiedPrimaryEmailIsRefused() {
    primaryVerified = false;
    String location = flow().getHeader("Location");
    assertTrue(location.startsWith("/login?error="), location);
    assertTrue(URLDecoder.decode(location, StandardCharsets.UTF_8).contains("no verified email"), location);
  }

  private HttpResponse<Buffer> flow() {
    HttpResponse<Buffer> started = expect(await(browser.get(faultline.adminPort(), "127.0.0.1",
        "/api/auth/oauth/github/start").send()), 302);
    String cookie = started.headers().getAll("Set-Cookie").get(0).split(";", 2)[0];
    String authorize = started.getHeader("Location");
    assertTrue(authorize.contains("scope=read%3Auser+user%3Aemail") || authorize.contains("scope=read%3Auser%20user%3Aemail"),
        authorize);
    URI back = URI.create(expect(await(browser.getAbs(authorize).send()), 302).getHeader("Location"));
    return expect(await(browser.get(faultline.adminPort(), "127.0.0.1", back.getRawPath() + "?" + back.getRawQuery())
        .putHeader("Cookie", cookie).send()), 302);
  }

  private void authorize(RoutingContext ctx) {
    String code = "code-" + challenges.size();
    if (!"S256".equals(ctx.request().getParam("code_challenge_method"))) {
      ctx.response().setStatusCode(400).end("PKCE S256 expected");
      return;
    }
    challenges.put(code, ctx.request().getParam("code_challenge"));
    ctx.response().setStatusCode(302).putHeader("Location", ctx.request().getParam("redirect_uri") + "?code=" + code
        + "&state=" + URLEncoder.encode(ctx.request().getParam("state"), StandardCharsets.UTF_8)).end();
  }

  /** Like GitHub: the code once, and only with the verifier whose S256 the authorize request carried. */
  private void token(RoutingContext ctx) {
    String challenge = challenges.remove(String.valueOf(ctx.request().getFormAttribute("code")));
    String verifier = ctx.request().getFormAttribute("code_verifier");
    JsonObject answer = challenge != null && verifier != null && challenge.equals(OAuthStates.challenge(verifier))
        ? new JsonObject().put("access_token", TOKEN).put("token_type", "bearer").put("scope", "read:user,user:email")
        : new JsonObject().put("error", "bad_verification_code");
    ctx.response().putHeader("Content-Type", "application/json").end(answer.encode());
  }

  private static void api(RoutingContext ctx, String body) {
    if (!("Bearer " + TOKEN).equals(ctx.request().getHeader("Authorization"))) {
      ctx.response().setStatusCode(401).end("{\"message\":\"Bad credentials\"}");
      return;
    }
    ctx.response().putHeader("Content-Type", "application/json").end(body);
  }
}
