package dev.faultline.auth;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Timeout;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions and tokens as an attacker would try them: forged, tampered, unsigned, expired, signed
 * with another algorithm, revoked, read-only; the sign-in's rate limit and its answers. Tokens are
 * minted here with the real signing key read from the data folder, the way someone who had it would.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionSecurityTest {

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private Faultline faultline;
  private WebClient anonymous;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir)));
    anonymous = FaultlineHarness.anonymous(vertx);
    port = faultline.adminPort();
  }

  @AfterEach
  void stop() {
    if (faultline != null) {
      await(faultline.stop());
    }
  }

  @Test
  void theApiNeedsASessionOrAToken() {
    for (String path : List.of("/api/proxies", "/api/logs", "/api/metrics", "/api/plugins", "/api/tokens",
        "/api/audit", "/api/auth/me", "/metrics", "/eventbus/info")) {
      HttpResponse<Buffer> response = await(anonymous.get(port, "127.0.0.1", path).send());
      assertEquals(401, response.statusCode(), path + " answered without a session: " + response.bodyAsString());
    }
    // What a person needs before signing in stays open.
    expect(await(anonymous.get(port, "127.0.0.1", "/api/auth/config").send()), 200);
    expect(await(anonymous.get(port, "127.0.0.1", "/healthz").send()), 200);
  }

  @Test
  void aSignInSetsAStrictHttpOnlyCookieAndTheSessionWorksAsBearerAndAsCookie() {
    HttpResponse<Buffer> login = login(FaultlineHarness.ADMIN_EMAIL, FaultlineHarness.ADMIN_PASSWORD);
    expect(login, 200);
    String token = login.bodyAsJsonObject().getString("token");
    assertNotNull(login.bodyAsJsonObject().getString("expires_at"));
    String cookie = login.cookies().stream().filter(c -> c.startsWith(SignInGate.COOKIE + "=")).findFirst()
        .orElseThrow(() -> new AssertionError("no session cookie in " + login.cookies()));
    assertTrue(cookie.toLowerCase(java.util.Locale.ROOT).contains("; httponly"), cookie);
    assertTrue(cookie.contains("SameSite=Strict"), cookie);
    assertTrue(cookie.contains("Path=/"), cookie);

    assertEquals(FaultlineHarness.ADMIN_EMAIL, me("Bearer " + token).bodyAsJsonObject().getString("email"));
    HttpResponse<Buffer> byCookie = await(anonymous.get(port, "127.0.0.1", "/api/auth/me")
        .putHeader("Cookie", SignInGate.COOKIE + "=" + token).send());
    assertEquals("admin", expect(byCookie, 200).bodyAsJsonObject().getString("role"));

    // A change with only the cookie must come from the dashboard's own page.
    HttpResponse<Buffer> noOrigin = await(anonymous.post(port, "127.0.0.1", "/api/tokens")
        .putHeader("Cookie", SignInGate.COOKIE + "=" + token).sendJsonObject(new JsonObject().put("name", "x")));
    assertEquals(403, noOrigin.statusCode(), noOrigin.bodyAsString());
    HttpResponse<Buffer> ownPage = await(anonymous.post(port, "127.0.0.1", "/api/tokens")
        .putHeader("Cookie", SignInGate.COOKIE + "=" + token).putHeader("Origin", "http://127.0.0.1:" + port)
        .sendJsonObject(new JsonObject().put("name", "from the dashboard")));
    expect(ownPage, 201);
  }

  @Test
  void logoutEndsTheSessionAtOnce() {
    String token = expect(login(FaultlineHarness.ADMIN_EMAIL, FaultlineHarness.ADMIN_PASSWORD), 200)
        .bodyAsJsonObject().getString("token");
    expect(me("Bearer " + token), 200);
    HttpResponse<Buffer> logout = await(anonymous.post(port, "127.0.0.1", "/api/auth/logout")
        .putHeader("Authorization", "Bearer " + token).send());
    expect(logout, 204);
    assertTrue(logout.cookies().stream().anyMatch(c -> c.startsWith(SignInGate.COOKIE + "=;")
        || c.contains("Max-Age=0")), "the cookie is cleared: " + logout.cookies());
    assertEquals(401, me("Bearer " + token).statusCode(), "a logged-out session token still worked");
  }

  @Test
  void forgedTamperedUnsignedExpiredAndOtherAlgorithmTokensAreRefused() throws Exception {
    String key = Files.readString(dataDir.resolve(SigningKey.FILE)).trim();
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(dataDir.resolve(SigningKey.FILE)));
    String good = expect(login(FaultlineHarness.ADMIN_EMAIL, FaultlineHarness.ADMIN_PASSWORD), 200)
        .bodyAsJsonObject().getString("token");
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(good.split("\\.")[1]),
        StandardCharsets.UTF_8));
    long now = Instant.now().getEpochSecond();

    // Our own mint, with the real key, is accepted: the refusals below are about what was changed.
    assertEquals(200, me("Bearer " + jwt("HS256", claims, key)).statusCode(), "the test's own minting is wrong");

    assertRefused("a token signed with another key", jwt("HS256", claims, "x".repeat(43)));
    String[] parts = good.split("\\.");
    JsonObject promoted = claims.copy().put("sub", "usr_someone_else");
    assertRefused("a tampered payload", parts[0] + "." + b64(promoted.encode()) + "." + parts[2]);
    assertRefused("alg none", b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(claims.encode()) + ".");
    assertRefused("alg None without a dot", b64("{\"alg\":\"None\",\"typ\":\"JWT\"}") + "." + b64(claims.encode()));
    assertRefused("HS512 with the same key", jwt("HS512", claims, key));
    assertRefused("RS256 header over an HMAC", b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "."
        + b64(claims.encode()) + "." + parts[2]);
    assertRefused("expired", jwt("HS256", claims.copy().put("iat", now - 7200).put("exp", now - 3600), key));
    assertRefused("no expiry at all", jwt("HS256", withoutExp(claims), key));
    assertRefused("a session that was never opened", jwt("HS256", claims.copy().put("sid", "ses_0000"), key));
    assertRefused("not a JWT", "flt_not-a-real-token");
    assertRefused("garbage", "a.b.c");
  }

  @Test
  void apiTokensAreShownOnceKeptHashedRevocableAndReadOnlyMeansReadOnly() throws Exception {
    // Tokens are made by a signed-in person (the harness's own client holds a token).
    String session = expect(login(FaultlineHarness.ADMIN_EMAIL, FaultlineHarness.ADMIN_PASSWORD), 200)
        .bodyAsJsonObject().getString("token");
    WebClient admin = FaultlineHarness.anonymous(vertx);
    ((io.vertx.ext.web.client.impl.WebClientInternal) admin).addInterceptor(ctx -> {
      ctx.request().putHeader("Authorization", "Bearer " + session);
      ctx.next();
    });
    HttpResponse<Buffer> created = expect(await(admin.post(port, "127.0.0.1", "/api/tokens")
        .sendJsonObject(new JsonObject().put("name", "ci").put("read_only", false).put("expires_in_days", 30))), 201);
    String token = created.bodyAsJsonObject().getString("token");
    assertTrue(token.startsWith("flt_"), token);
    String id = created.bodyAsJsonObject().getString("id");
    String listed = expect(await(admin.get(port, "127.0.0.1", "/api/tokens").send()), 200).bodyAsString();
    assertTrue(listed.contains(id) && !listed.contains(token), "listed by id, never by value: " + listed);
    assertTrue(tokenEntry(admin, id).getValue("last_used_at") == null, "not used yet");
    assertEquals(200, me("Bearer " + token).statusCode());
    String used = tokenEntry(admin, id).getString("last_used_at");
    assertTrue(used != null && java.time.Duration.between(java.time.Instant.parse(used), java.time.Instant.now())
        .abs().getSeconds() < 60, "last used just now: " + used);

    String readOnly = expect(await(admin.post(port, "127.0.0.1", "/api/tokens")
        .sendJsonObject(new JsonObject().put("name", "dashboards").put("read_only", true))), 201)
        .bodyAsJsonObject().getString("token");
    assertEquals(200, await(anonymous.get(port, "127.0.0.1", "/api/proxies")
        .putHeader("Authorization", "Bearer " + readOnly).send()).statusCode());
    HttpResponse<Buffer> change = await(anonymous.post(port, "127.0.0.1", "/api/proxies")
        .putHeader("Authorization", "Bearer " + readOnly)
        .sendJsonObject(new JsonObject().put("name", "nope").put("provider", "mock")));
    assertEquals(403, change.statusCode(), change.bodyAsString());

    // A token cannot make itself siblings.
    HttpResponse<Buffer> sibling = await(anonymous.post(port, "127.0.0.1", "/api/tokens")
        .putHeader("Authorization", "Bearer " + token).sendJsonObject(new JsonObject().put("name", "more")));
    assertEquals(403, sibling.statusCode(), sibling.bodyAsString());

    expect(await(admin.delete(port, "127.0.0.1", "/api/tokens/" + id).send()), 204);
    assertEquals(401, me("Bearer " + token).statusCode(), "a revoked token still worked");
    assertEquals(404, await(admin.delete(port, "127.0.0.1", "/api/tokens/" + id).send()).statusCode());

    HttpResponse<Buffer> bad = await(admin.post(port, "127.0.0.1", "/api/tokens")
        .sendJsonObject(new JsonObject().put("name", "x").put("expires_in_days", 0)));
    assertEquals(400, bad.statusCode());
    assertEquals("expires_in_days", bad.bodyAsJsonObject().getJsonObject("error").getString("field"));

    byte[] database = Files.readAllBytes(faultline.database().file());
    assertTrue(!new String(database, StandardCharsets.ISO_8859_1).contains(token), "the token's value is in the database");
  }

  @Test
  void signInIsRateLimitedPerAccountWithRetryAfterAndUnknownEmailsGetTheSameAnswer() {
    HttpResponse<Buffer> unknown = login("nobody@faultline.test", "whatever-password");
    HttpResponse<Buffer> wrong = login(FaultlineHarness.ADMIN_EMAIL, "wrong-password-1");
    assertEquals(401, unknown.statusCode());
    assertEquals(401, wrong.statusCode());
    assertEquals(wrong.bodyAsJsonObject(), unknown.bodyAsJsonObject(), "the answers tell which accounts exist");

    for (int i = 2; i <= 5; i++) {
      assertEquals(401, login(FaultlineHarness.ADMIN_EMAIL, "wrong-password-" + i).statusCode());
    }
    HttpResponse<Buffer> limited = login(FaultlineHarness.ADMIN_EMAIL, FaultlineHarness.ADMIN_PASSWORD);
    assertEquals(429, limited.statusCode(), "the right password after 5 failures: " + limited.bodyAsString());
    long retryAfter = Long.parseLong(limited.getHeader("Retry-After"));
    assertTrue(retryAfter > 0 && retryAfter <= 15 * 60, "Retry-After: " + retryAfter);
    // Another account from the same address is not locked by it yet.
    assertEquals(401, login("someone@faultline.test", "another-password").statusCode());
  }

  @Test
  void theDashboardIsServedWithAStrictContentSecurityPolicy() {
    HttpResponse<Buffer> page = await(anonymous.get(port, "127.0.0.1", "/").putHeader("Accept", "text/html").send());
    String policy = page.getHeader("Content-Security-Policy");
    assertNotNull(policy, "no Content-Security-Policy");
    assertTrue(policy.contains("frame-ancestors 'none'") && policy.contains("script-src 'self'")
        && !policy.contains("unsafe"), policy);
    assertEquals("nosniff", page.getHeader("X-Content-Type-Options"));
  }

  private HttpResponse<Buffer> login(String email, String password) {
    return await(anonymous.post(port, "127.0.0.1", "/api/auth/login")
        .sendJsonObject(new JsonObject().put("email", email).put("password", password)));
  }

  private HttpResponse<Buffer> me(String authorization) {
    return await(anonymous.get(port, "127.0.0.1", "/api/auth/me").putHeader("Authorization", authorization).send());
  }

  private JsonObject tokenEntry(WebClient client, String id) {
    return expect(await(client.get(port, "127.0.0.1", "/api/tokens").send()), 200).bodyAsJsonArray().stream()
        .map(JsonObject.class::cast).filter(entry -> id.equals(entry.getString("id"))).findFirst().orElseThrow();
  }

  private void assertRefused(String what, String token) {
    HttpResponse<Buffer> response = me("Bearer " + token);
    assertEquals(401, response.statusCode(), what + " was accepted: " + response.bodyAsString());
  }

  private static JsonObject withoutExp(JsonObject claims) {
    JsonObject copy = claims.copy();
    copy.remove("exp");
    return copy;
  }

  private static String jwt(String alg, JsonObject claims, String key) throws Exception {
    String signed = b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + b64(claims.encode());
    String macName = alg.equals("HS512") ? "HmacSHA512" : "HmacSHA256";
    Mac mac = Mac.getInstance(macName);
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), macName));
    return signed + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
