package dev.faultline.callerlimit;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.ConfigLoader;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The caller limit on real proxies (mock provider), served by two event loops each. Callers are
 * told apart by API key, or by {@code X-Forwarded-For} sent from 127.0.0.3, a trusted forwarder
 * (the whole of 127/8 is loopback).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CallerLimitTest {

  static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final String TRUSTED = "127.0.0.3";
  /** A limit nobody refills during a test: one request per 100 s. */
  private static final double GLACIAL = 0.01;

  @TempDir
  static Path dataDir;
  @TempDir
  Path ownDataDir;

  static Faultline faultline;
  static WebClient admin;
  static WebClient fromTrusted;

  @BeforeAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void start(Vertx vertx) {
    faultline = await(Faultline.start(vertx, config(dataDir, new JsonObject())));
    admin = FaultlineHarness.client(vertx);
    fromTrusted = WebClient.create(vertx, new WebClientOptions().setKeepAlive(false).setLocalAddress(TRUSTED));
  }

  @AfterAll
  static void stop() {
    await(faultline.stop());
  }

  /** Two event loops per proxy, 127.0.0.3 trusted to name callers. */
  static FaultlineConfig config(Path dir, JsonObject proxyDefaults) {
    FaultlineConfig c = FaultlineHarness.config(dir);
    return new FaultlineConfig(c.host(), c.adminPort(), c.dataDir(), c.pluginsDir(), c.demoPort(), c.portRangeFrom(),
        c.portRangeTo(), c.maxBodyBytes(), 2, c.monitoring(), List.of(TRUSTED), proxyDefaults, c.adminAllowedHosts(),
        c.timeouts(), c.auth());
  }

  @Test
  void aCallerOverItsLimitGetsTheProvidersOwn429WithRetryAfterAndIsLogged(Vertx vertx) {
    int port = proxy("per-client", limit(GLACIAL, null, 2));
    Promise<JsonObject> logged = Promise.promise();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer("faultline.log", message -> {
      if (message.body().getInteger("status") == 429) {
        logged.tryComplete(message.body());
      }
    });
    await(consumer.completion());
    try {
      assertEquals(200, call(port, "10.0.0.1", "sk-one").statusCode());
      assertEquals(200, call(port, "10.0.0.1", "sk-two").statusCode(), "the burst is 2");
      HttpResponse<Buffer> refused = call(port, "10.0.0.1", "sk-three");
      assertLimited(refused, "Too many requests from your address 10.0.0.1; this proxy allows 0.01 per second per "
          + "client address, in bursts of up to 2. Please try again in ");
      long retryAfterMs = Long.parseLong(refused.getHeader("retry-after-ms"));
      assertTrue(retryAfterMs > 90_000 && retryAfterMs <= 100_000, "one interval of 100 s, less the time the test "
          + "took: " + retryAfterMs);
      assertEquals((retryAfterMs + 999) / 1000, Long.parseLong(refused.getHeader("retry-after")), "whole seconds, up");

      assertEquals(200, call(port, "10.0.0.2", "sk-one").statusCode(), "another address has its own bucket");
      assertEquals(429, call(port, "10.0.0.1", null).statusCode(), "and this one stays refused");

      JsonObject entry = await(logged.future());
      assertEquals("caller_rate_limited", entry.getString("error_type"));
      assertEquals("10.0.0.1", entry.getString("client_ip"), "the address the trusted forwarder named");
      assertFalse(entry.encode().contains("sk-three"), "no key in the log: " + entry.encode());
    } finally {
      await(consumer.unregister());
    }
  }

  @Test
  void thePerKeyLimitTellsKeysApartAndNeverShowsOne() {
    int port = proxy("per-key", limit(null, GLACIAL, 1));
    assertEquals(200, call(port, null, "sk-alpha").statusCode());
    HttpResponse<Buffer> refused = call(port, null, "sk-alpha");
    assertLimited(refused, "Too many requests with your API key; this proxy allows 0.01 per second per API key, in "
        + "bursts of up to 1. Please try again in ");
    assertFalse(refused.bodyAsString().contains("sk-alpha"), refused.bodyAsString());
    assertEquals(200, call(port, null, "sk-beta").statusCode(), "another key from the same address");
    assertEquals(200, call(port, null, null).statusCode(), "no key: the per-key limit does not apply");
    assertEquals(200, call(port, null, null).statusCode());

    HttpResponse<Buffer> azure = await(fromTrusted.post(port, "127.0.0.1", "/v1/chat/completions")
        .putHeader("api-key", "sk-alpha").putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(CHAT)));
    assertEquals(429, azure.statusCode(), "the same key in Azure's header is the same caller");
  }

  @Test
  void everyEventLoopOfAProxySharesItsBuckets() {
    int port = proxy("two-loops", limit(GLACIAL, null, 5));
    int served = 0;
    // Each call opens a new connection (no keep-alive), and the two event loops take turns to accept them.
    for (int i = 0; i < 20; i++) {
      served += call(port, "10.0.0.9", null).statusCode() == 200 ? 1 : 0;
    }
    assertEquals(5, served, "the burst once for the proxy, not once per event loop");
  }

  @Test
  void settingsAreCheckedNamingTheFieldAndChangesApplyWithoutARestart() {
    assertCreateRefused(new JsonObject().put("enabled", true), "caller_limit.per_client_rps");
    JsonObject created = await(FaultlineHarness.createProxy(admin, faultline, new JsonObject().put("name", "settings")
        .put("provider", "mock").put("require_api_key", false).put("caller_limit", limit(20.0, null, null))));
    assertEquals(new JsonObject().put("enabled", true).put("per_client_rps", 20).put("per_key_rps", null)
        .put("burst", null), created.getJsonObject("caller_limit"), "stored whole, fields left out at their defaults");
    String id = created.getString("id");
    int port = created.getInteger("port");

    assertPatchRefused(id, limit(0.0, null, null), "caller_limit.per_client_rps", "from 0.001 to 1000000");
    assertPatchRefused(id, limit(null, -1.0, null), "caller_limit.per_key_rps", "-1");
    assertPatchRefused(id, limit(5.0, null, 0), "caller_limit.burst", "from 1 to 1000000");
    assertPatchRefused(id, new JsonObject().put("enabled", true).put("per_client_rps", "20"),
        "caller_limit.per_client_rps", "\"20\"");
    assertPatchRefused(id, new JsonObject().put("enabled", "yes"), "caller_limit.enabled", "true or false");
    assertPatchRefused(id, new JsonObject().put("rps", 3), "caller_limit.rps", "unknown field");
    assertPatchRefused(id, new JsonObject().put("burst", 2.5), "caller_limit.burst", "2.5");

    patch(id, new JsonObject().put("caller_limit", limit(GLACIAL, null, 1)));
    assertEquals(200, call(port, "10.0.0.3", null).statusCode());
    assertEquals(429, call(port, "10.0.0.3", null).statusCode(), "the new limit holds at once");
    patch(id, new JsonObject().put("logging", new JsonObject().put("enabled", true)));
    assertEquals(429, call(port, "10.0.0.3", null).statusCode(), "another block changed: the buckets live on");
    patch(id, new JsonObject().put("caller_limit", new JsonObject().put("enabled", false)));
    assertEquals(200, call(port, "10.0.0.3", null).statusCode(), "turned off");
  }

  @Test
  void aNewProxyCanStartWithTheLimitFromProxiesDefaults(Vertx vertx) {
    Future<Faultline> broken = Faultline.start(vertx, config(ownDataDir, new JsonObject().put("caller_limit",
        limit(10.0, null, 0))));
    await(broken.otherwiseEmpty());
    assertTrue(broken.failed() && broken.cause() instanceof ConfigLoader.ConfigException, "started: " + broken);
    assertTrue(broken.cause().getMessage().startsWith("proxies.defaults.caller_limit.burst"),
        broken.cause().getMessage());

    Faultline own = await(Faultline.start(vertx, config(ownDataDir, new JsonObject().put("caller_limit",
        limit(GLACIAL, null, 1)))));
    try {
      JsonObject proxy = await(FaultlineHarness.createProxy(admin, own, new JsonObject().put("name", "defaulted")
          .put("provider", "mock").put("require_api_key", false)));
      assertEquals(1, proxy.getJsonObject("caller_limit").getInteger("burst"), proxy.encode());
      assertEquals(200, call(proxy.getInteger("port"), "10.0.0.4", null).statusCode());
      assertEquals(429, call(proxy.getInteger("port"), "10.0.0.4", null).statusCode());
    } finally {
      await(own.stop());
    }
  }

  static JsonObject limit(Double perClient, Double perKey, Integer burst) {
    return new JsonObject().put("enabled", true).put("per_client_rps", perClient).put("per_key_rps", perKey)
        .put("burst", burst);
  }

  private static int proxy(String name, JsonObject limit) {
    return await(FaultlineHarness.createProxy(admin, faultline, new JsonObject().put("name", name)
        .put("provider", "mock").put("require_api_key", false).put("caller_limit", limit))).getInteger("port");
  }

  /** A chat through the trusted forwarder, for {@code client} (none: the forwarder itself), with {@code key}. */
  static HttpResponse<Buffer> call(int port, String client, String key) {
    var request = fromTrusted.post(port, "127.0.0.1", "/v1/chat/completions")
        .putHeader("content-type", "application/json");
    if (client != null) {
      request.putHeader("X-Forwarded-For", client);
    }
    if (key != null) {
      request.putHeader("Authorization", "Bearer " + key);
    }
    return await(request.sendBuffer(Buffer.buffer(CHAT)));
  }

  /** OpenAI's 429 shape: exactly {"error":{"message","type","param","code"}}, with both retry headers. */
  static void assertLimited(HttpResponse<Buffer> answer, String messageStart) {
    assertEquals(429, answer.statusCode(), answer.bodyAsString());
    JsonObject error = answer.bodyAsJsonObject().getJsonObject("error");
    assertEquals(Set.of("message", "type", "param", "code"), error.fieldNames());
    assertEquals("requests", error.getString("type"));
    assertEquals("caller_rate_limited", error.getString("code"));
    assertTrue(error.getString("message").startsWith(messageStart), error.getString("message"));
    assertNotNull(answer.getHeader("retry-after"), "retry-after");
    assertNotNull(answer.getHeader("retry-after-ms"), "retry-after-ms");
    assertTrue(answer.getHeader("x-request-id").startsWith("req_"));
  }

  private static void patch(String id, JsonObject changes) {
    expect(await(admin.patch(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + id).sendJsonObject(changes)), 200);
  }

  private static void assertCreateRefused(JsonObject limit, String field) {
    HttpResponse<Buffer> answer = await(admin.post(faultline.adminPort(), "127.0.0.1", "/api/proxies")
        .sendJsonObject(new JsonObject().put("name", "refused").put("provider", "mock").put("caller_limit", limit)));
    expect(answer, 400);
    assertEquals(field, answer.bodyAsJsonObject().getJsonObject("error").getString("field"), answer.bodyAsString());
  }

  private static void assertPatchRefused(String id, JsonObject limit, String field, String named) {
    HttpResponse<Buffer> answer = await(admin.patch(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + id)
        .sendJsonObject(new JsonObject().put("caller_limit", limit)));
    expect(answer, 400);
    JsonObject error = answer.bodyAsJsonObject().getJsonObject("error");
    assertEquals(field, error.getString("field"), error.encode());
    assertTrue(error.getString("message").contains(named), error.getString("message"));
  }
}
