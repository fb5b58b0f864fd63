package dev.faultline.api;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.auth.VerifiedUsers;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import dev.faultline.proxy.upstream.UpstreamPolicy.PrivateUpstreams;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a proxy may send its callers' keys, through the admin API and real requests: metadata
 * addresses never, in any spelling; loopback and private networks for admins' proxies (or
 * everyone's when configured); checked again when a request connects; redirects relayed, not
 * followed.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class UpstreamSafetyTest {

  private static final List<String> METADATA = List.of("http://169.254.169.254", "http://[::ffff:169.254.169.254]",
      "http://[::ffff:a9fe:a9fe]/v1", "http://2852039166", "http://0251.0376.0251.0376", "http://0xa9fea9fe",
      "http://169.254.43518", "http://169.254.169.254./latest", "http://[fd00:ec2::254]", "http://[fe80::1]:80",
      "http://metadata.google.internal/computeMetadata/v1", "https://METADATA.GOOGLE.INTERNAL./");

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private Faultline faultline;
  private WebClient client;
  private HttpServer upstream;
  private final AtomicInteger upstreamRequests = new AtomicInteger();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    client = FaultlineHarness.client(vertx);
    upstream = await(vertx.createHttpServer().requestHandler(request -> {
      upstreamRequests.incrementAndGet();
      if (request.path().endsWith("/redirect")) {
        request.response().setStatusCode(302)
            .putHeader("location", "http://169.254.169.254/latest/meta-data/iam/security-credentials/").end();
      } else {
        request.response().putHeader("content-type", "application/json").end("{\"object\":\"list\",\"data\":[]}");
      }
    }).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() {
    if (faultline != null) {
      await(faultline.stop());
    }
    await(upstream.close());
  }

  @Test
  void metadataAddressesAreRefusedForEveryoneInEverySpelling() {
    startFaultline(PrivateUpstreams.EVERYONE);
    VerifiedUsers user = await(VerifiedUsers.signUp(client, faultline, "user@faultline.test"));
    for (String url : METADATA) {
      for (String who : new String[] {null, user.authorization()}) {
        JsonObject error = refused(create(who, "m", url), url);
        assertTrue(error.getString("message").contains("metadata"), url + ": " + error);
      }
    }
    JsonObject proxy = created(create(null, "public", "https://api.example.com/v1"));
    refused(await(client.patch(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + proxy.getString("id"))
        .sendJsonObject(new JsonObject().put("upstream", "http://2852039166/v1"))), "patch");
    assertEquals(1, expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/proxies").send()), 200)
        .bodyAsJsonArray().size(), "nothing else was saved");
  }

  @Test
  void loopbackAndPrivateNetworksAreForAdminsByDefault() {
    startFaultline(PrivateUpstreams.ADMINS);
    VerifiedUsers user = await(VerifiedUsers.signUp(client, faultline, "user@faultline.test"));
    String local = "http://localhost:" + upstream.actualPort();
    for (String url : List.of(local, "http://127.0.0.1:" + upstream.actualPort(), "http://10.0.0.5:11434/v1",
        "http://[::1]:8000", "http://0.0.0.0:8000", "http://0x7f000001:8000")) {
      JsonObject error = refused(create(user.authorization(), "p", url), url);
      assertTrue(error.getString("message").contains("loopback or private-network address"), url + ": " + error);
      assertTrue(error.getString("message").contains("proxies.private_upstreams"), error.encode());
    }
    assertTrue(refused(create(user.authorization(), "p", local), local).getString("message")
        .startsWith("upstream: localhost resolves to "), "a name is checked by what it resolves to");

    JsonObject own = created(create(user.authorization(), "own", "https://api.example.com/v1"));
    refused(await(client.patch(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + own.getString("id"))
        .putHeader("Authorization", user.authorization())
        .sendJsonObject(new JsonObject().put("upstream", "http://192.168.1.20/v1"))), "patch to private");
    // Changes that leave the upstream alone are not held up by it.
    expect(await(client.patch(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + own.getString("id"))
        .putHeader("Authorization", user.authorization())
        .sendJsonObject(new JsonObject().put("name", "renamed"))), 200);

    int port = created(create(null, "admins", local)).getInteger("port");
    created(create(null, "admins-10", "http://10.0.0.5:11434/v1"));
    expect(call(port, "/v1/models"), 200);
    assertEquals(1, upstreamRequests.get(), "the admin's proxy reached the local upstream");
  }

  @Test
  void everyoneMayReachPrivateNetworksWhereConfigured() {
    startFaultline(PrivateUpstreams.EVERYONE);
    VerifiedUsers user = await(VerifiedUsers.signUp(client, faultline, "user@faultline.test"));
    int port = created(create(user.authorization(), "local", "http://localhost:" + upstream.actualPort()))
        .getInteger("port");
    created(create(user.authorization(), "lan", "http://10.0.0.5:11434/v1"));
    expect(call(port, "/v1/models"), 200);
    assertEquals(1, upstreamRequests.get());
  }

  @Test
  void aProxySavedWhenAllowedIsRefusedOnConnectOnceItsOwnerMayNoLonger() {
    startFaultline(PrivateUpstreams.ADMINS);
    VerifiedUsers user = await(VerifiedUsers.signUp(client, faultline, "user@faultline.test"));
    role(user, "admin");
    int port = created(create(user.authorization(), "local", "http://127.0.0.1:" + upstream.actualPort()))
        .getInteger("port");
    expect(call(port, "/v1/models"), 200);
    assertEquals(1, upstreamRequests.get());

    role(user, "user");
    HttpResponse<Buffer> refused = expect(call(port, "/v1/models"), 403);
    JsonObject error = refused.bodyAsJsonObject().getJsonObject("error");
    assertEquals("upstream_refused", error.getString("code"), refused.bodyAsString());
    assertTrue(error.getString("message").contains("loopback or private-network address"), error.encode());
    assertFalse(refused.bodyAsString().contains("sk-test"), "the key is not echoed");
    assertEquals(1, upstreamRequests.get(), "the refused request never reached the upstream");
  }

  @Test
  void redirectsAreRelayedAsTheyAreNotFollowed() {
    startFaultline(PrivateUpstreams.ADMINS);
    int port = created(create(null, "redirects", "http://127.0.0.1:" + upstream.actualPort())).getInteger("port");
    HttpResponse<Buffer> answer = await(client.get(port, "127.0.0.1", "/v1/redirect").followRedirects(false)
        .putHeader("Authorization", "Bearer sk-test").send());
    assertEquals(302, answer.statusCode(), answer.bodyAsString());
    assertEquals("http://169.254.169.254/latest/meta-data/iam/security-credentials/", answer.getHeader("location"));
    assertEquals(1, upstreamRequests.get());
  }

  private void startFaultline(PrivateUpstreams privateUpstreams) {
    FaultlineConfig config = FaultlineHarness.config(dataDir).withPrivateUpstreams(privateUpstreams);
    faultline = await(Faultline.start(vertx, config));
  }

  /** As the admin ({@code authorization} null) or as another account. */
  private HttpResponse<Buffer> create(String authorization, String name, String upstreamUrl) {
    var request = client.post(faultline.adminPort(), "127.0.0.1", "/api/proxies");
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return await(request.sendJsonObject(new JsonObject().put("name", name).put("provider", "openai")
        .put("upstream", upstreamUrl)));
  }

  private HttpResponse<Buffer> call(int port, String path) {
    return await(client.get(port, "127.0.0.1", path).putHeader("Authorization", "Bearer sk-test").send());
  }

  private void role(VerifiedUsers user, String role) {
    expect(await(client.patch(faultline.adminPort(), "127.0.0.1", "/api/users/" + user.id())
        .sendJsonObject(new JsonObject().put("role", role))), 200);
  }

  private static JsonObject created(HttpResponse<Buffer> response) {
    return expect(response, 201).bodyAsJsonObject();
  }

  private static JsonObject refused(HttpResponse<Buffer> response, String what) {
    expect(response, 400);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertEquals("upstream", error.getString("field"), what + ": " + error);
    assertTrue(error.getString("message").startsWith("upstream: "), error.encode());
    return error;
  }
}
