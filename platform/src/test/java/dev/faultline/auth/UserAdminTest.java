package dev.faultline.auth;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An admin managing people, and the audit trail of who did what: a registered, unverified person
 * may look but not create; only an admin lists and changes accounts; disabling someone ends their
 * sessions at once; everyone reads their own audit entries, an admin everyone's.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class UserAdminTest {

  private static final String BOB = "bob@faultline.test";
  private static final String BOB_PASSWORD = "bobs-long-password";

  @TempDir
  Path dataDir;

  private Faultline faultline;
  private WebClient admin;
  private WebClient anonymous;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir)));
    admin = FaultlineHarness.client(vertx);
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
  void registrationRefusesWithTheRulesAndAnUnverifiedPersonMayLookButNotCreate() {
    HttpResponse<Buffer> shortPassword = register(BOB, "short");
    assertEquals(400, shortPassword.statusCode());
    JsonObject error = shortPassword.bodyAsJsonObject().getJsonObject("error");
    assertEquals("password", error.getString("field"));
    assertTrue(error.getString("message").contains("10 to 256 characters"), error.getString("message"));
    assertEquals("email", register("not-an-email", BOB_PASSWORD).bodyAsJsonObject().getJsonObject("error")
        .getString("field"));

    JsonObject bob = expect(register(BOB, BOB_PASSWORD), 201).bodyAsJsonObject().getJsonObject("user");
    assertFalse(bob.getBoolean("verified"));
    assertEquals(409, register(BOB.toUpperCase(), BOB_PASSWORD).statusCode(), "the same email, other case");

    String session = login(BOB, BOB_PASSWORD);
    assertEquals(new JsonArray(), expect(await(as(session, anonymous.get(port, "127.0.0.1", "/api/proxies")).send()),
        200).bodyAsJsonArray(), "a new person sees no one's proxies");
    HttpResponse<Buffer> create = await(as(session, anonymous.post(port, "127.0.0.1", "/api/proxies"))
        .sendJsonObject(new JsonObject().put("name", "bobs").put("provider", "mock")));
    assertEquals(403, create.statusCode());
    assertTrue(create.bodyAsString().contains("verify your email"), create.bodyAsString());
  }

  @Test
  void onlyAnAdminManagesAccountsAndDisablingEndsSessionsAtOnce() {
    String bobId = expect(register(BOB, BOB_PASSWORD), 201).bodyAsJsonObject().getJsonObject("user").getString("id");
    String bob = login(BOB, BOB_PASSWORD);
    assertEquals(403, await(as(bob, anonymous.get(port, "127.0.0.1", "/api/users")).send()).statusCode());
    assertEquals(403, await(as(bob, anonymous.patch(port, "127.0.0.1", "/api/users/" + bobId))
        .sendJsonObject(new JsonObject().put("role", "admin"))).statusCode(), "a person made themselves admin");

    JsonArray users = expect(await(admin.get(port, "127.0.0.1", "/api/users").send()), 200).bodyAsJsonArray();
    assertEquals(List.of(FaultlineHarness.ADMIN_EMAIL, BOB), users.stream().map(JsonObject.class::cast)
        .map(u -> u.getString("email")).toList());

    expect(await(admin.patch(port, "127.0.0.1", "/api/users/" + bobId)
        .sendJsonObject(new JsonObject().put("role", "admin"))), 200);
    expect(await(as(bob, anonymous.get(port, "127.0.0.1", "/api/users")).send()), 200);

    HttpResponse<Buffer> unknownField = await(admin.patch(port, "127.0.0.1", "/api/users/" + bobId)
        .sendJsonObject(new JsonObject().put("email", "x@y.z")));
    assertEquals("email", unknownField.bodyAsJsonObject().getJsonObject("error").getString("field"));
    assertEquals(404, await(admin.patch(port, "127.0.0.1", "/api/users/usr_nobody")
        .sendJsonObject(new JsonObject().put("disabled", true))).statusCode());

    expect(await(admin.patch(port, "127.0.0.1", "/api/users/" + bobId)
        .sendJsonObject(new JsonObject().put("disabled", true))), 200);
    assertEquals(401, await(as(bob, anonymous.get(port, "127.0.0.1", "/api/auth/me")).send()).statusCode(),
        "a disabled account's session still worked");
    assertEquals(401, await(anonymous.post(port, "127.0.0.1", "/api/auth/login")
        .sendJsonObject(new JsonObject().put("email", BOB).put("password", BOB_PASSWORD))).statusCode());

    String adminId = users.getJsonObject(0).getString("id");
    String adminSession = login(FaultlineHarness.ADMIN_EMAIL, FaultlineHarness.ADMIN_PASSWORD);
    assertEquals(409, await(as(adminSession, anonymous.patch(port, "127.0.0.1", "/api/users/" + adminId))
        .putHeader("Origin", "http://127.0.0.1:" + port)
        .sendJsonObject(new JsonObject().put("role", "user"))).statusCode(), "an admin demoted themselves");
  }

  @Test
  void theAuditTrailSaysWhoDidWhatAndEachPersonReadsTheirOwn() {
    JsonObject proxy = await(FaultlineHarness.createProxy(admin, faultline,
        new JsonObject().put("name", "audited").put("provider", "mock")));
    String id = proxy.getString("id");
    expect(await(admin.post(port, "127.0.0.1", "/api/proxies/" + id + "/stop").send()), 200);
    expect(await(admin.put(port, "127.0.0.1", "/api/proxies/" + id + "/faults")
        .sendJson(new JsonArray())), 200);
    assertEquals(404, await(admin.post(port, "127.0.0.1", "/api/proxies/prx_missing/start").send()).statusCode());
    expect(await(admin.delete(port, "127.0.0.1", "/api/proxies/" + id).send()), 204);
    expect(register(BOB, BOB_PASSWORD), 201);

    JsonArray entries = expect(await(admin.get(port, "127.0.0.1", "/api/audit").send()), 200).bodyAsJsonObject()
        .getJsonArray("entries");
    List<String> actions = entries.stream().map(JsonObject.class::cast)
        .map(e -> e.getString("action") + " " + e.getString("target_id")).toList();
    assertEquals("proxy.delete " + id, actions.get(1), String.valueOf(actions));
    assertTrue(actions.containsAll(List.of("proxy.create " + id, "proxy.stop " + id, "faults.set " + id)),
        String.valueOf(actions));
    assertFalse(actions.stream().anyMatch(a -> a.contains("prx_missing")), "a refused change is not audited");
    JsonObject stop = entries.stream().map(JsonObject.class::cast).filter(e -> "proxy.stop".equals(e.getString("action")))
        .findFirst().orElseThrow();
    assertEquals(FaultlineHarness.ADMIN_EMAIL, stop.getString("actor_email"));
    assertEquals("proxy", stop.getString("target_type"));

    String bob = login(BOB, BOB_PASSWORD);
    JsonArray own = expect(await(as(bob, anonymous.get(port, "127.0.0.1", "/api/audit")).send()), 200)
        .bodyAsJsonObject().getJsonArray("entries");
    assertEquals(List.of("account.register"), own.stream().map(JsonObject.class::cast).map(e -> e.getString("action"))
        .toList(), "a person sees only their own entries");
    assertEquals(400, await(admin.get(port, "127.0.0.1", "/api/audit?limit=0").send()).statusCode());
  }

  private HttpResponse<Buffer> register(String email, String password) {
    return await(anonymous.post(port, "127.0.0.1", "/api/auth/register")
        .sendJsonObject(new JsonObject().put("email", email).put("password", password)));
  }

  private String login(String email, String password) {
    return expect(await(anonymous.post(port, "127.0.0.1", "/api/auth/login")
        .sendJsonObject(new JsonObject().put("email", email).put("password", password))), 200)
        .bodyAsJsonObject().getString("token");
  }

  private static HttpRequest<Buffer> as(String session, HttpRequest<Buffer> request) {
    return request.putHeader("Authorization", "Bearer " + session);
  }
}
