package dev.faultline.ipfilter;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
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
 * IP filtering with real peers: the whole of 127/8 is loopback, so clients bound to 127.0.0.2 and
 * 127.0.0.3 are other callers, and ::1 is an IPv6 one. 127.0.0.3 is configured as a trusted
 * reverse proxy; nobody else may name a caller in {@code X-Forwarded-For} or {@code Forwarded}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IpFilterTest {

  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String TRUSTED = "127.0.0.3";

  @TempDir
  static Path dataDir;
  @TempDir
  static Path dataDirV6;

  static Vertx vertx;
  static Faultline faultline;
  static WebClient admin;
  static WebClient fromOne;
  static WebClient fromTwo;
  static WebClient fromTrusted;

  @BeforeAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void start(Vertx vertx) {
    IpFilterTest.vertx = vertx;
    faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir).withTrustedProxies(List.of(TRUSTED))));
    admin = FaultlineHarness.client(vertx);
    fromOne = from(vertx, "127.0.0.1");
    fromTwo = from(vertx, "127.0.0.2");
    fromTrusted = from(vertx, TRUSTED);
  }

  @AfterAll
  static void stop() {
    await(faultline.stop());
  }

  @Test
  void allowListLetsOnlyItsCallersIn() {
    int port = proxy("allow-v4", rules(List.of("127.0.0.2"), List.of()));
    assertEquals(200, call(fromTwo, port).statusCode());
    assertRefused(call(fromOne, port), "127.0.0.1");
  }

  @Test
  void blockListKeepsItsCallersOutAndWinsOverAllow() {
    int blocked = proxy("block-v4", rules(List.of(), List.of("127.0.0.2/32")));
    assertRefused(call(fromTwo, blocked), "127.0.0.2");
    assertEquals(200, call(fromOne, blocked).statusCode(), "an empty allow list lets everyone else in");

    int both = proxy("allow-and-block", rules(List.of("127.0.0.0/8"), List.of("127.0.0.2")));
    assertRefused(call(fromTwo, both), "127.0.0.2");
    assertEquals(200, call(fromOne, both).statusCode());
  }

  @Test
  void wildcardsMatchOctetByOctet() {
    int port = proxy("wildcard", rules(List.of("127.0.*.2"), List.of()));
    assertEquals(200, call(fromTwo, port).statusCode());
    assertRefused(call(fromOne, port), "127.0.0.1");
  }

  @Test
  void forwardedForIsBelievedOnlyFromATrustedProxy() {
    int port = proxy("forwarded", rules(List.of("127.0.0.1", TRUSTED), List.of("127.0.0.2")));

    assertRefused(call(fromTwo, port, "X-Forwarded-For", "127.0.0.1"), "127.0.0.2");
    assertRefused(call(fromTwo, port, "Forwarded", "for=127.0.0.1"), "127.0.0.2");
    assertEquals(200, call(fromTrusted, port, "X-Forwarded-For", "127.0.0.1").statusCode());
    assertRefused(call(fromTrusted, port, "X-Forwarded-For", "127.0.0.2"), "127.0.0.2");
    assertRefused(call(fromTrusted, port, "X-Forwarded-For", "127.0.0.2, 127.0.0.3"), "127.0.0.2");
    assertRefused(call(fromTrusted, port, "X-Forwarded-For", "127.0.0.1, 127.0.0.2"), "127.0.0.2",
        "the rightmost address not a trusted proxy is the caller; what it claims further left is not believed");
    assertRefused(call(fromTrusted, port, "Forwarded", "for=\"127.0.0.2:4711\";proto=http"), "127.0.0.2");
    assertEquals(200, call(fromTrusted, port).statusCode(), "the trusted proxy itself, forwarding for nobody");
  }

  @Test
  void aRefusedCallerIsRefusedBeforeItsBodyIsReadAndLogged() {
    int port = proxy("refused-early", rules(List.of("127.0.0.2"), List.of()));
    Promise<JsonObject> logged = Promise.promise();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer("faultline.log", message -> {
      if (message.body().getInteger("status") == 403) {
        logged.tryComplete(message.body());
      }
    });
    await(consumer.completion());
    try {
      // Over the 1 MiB body limit: refused for its address (403), not its size (413).
      Buffer huge = Buffer.buffer(new byte[2 * 1024 * 1024]);
      HttpResponse<Buffer> answer = await(fromOne.post(port, "127.0.0.1", "/v1/chat/completions")
          .putHeader("Authorization", "Bearer sk-test").putHeader("content-type", "application/json").sendBuffer(huge));
      assertRefused(answer, "127.0.0.1");
      JsonObject entry = await(logged.future());
      assertEquals("127.0.0.1", entry.getString("client_ip"));
      assertEquals("ip_not_allowed", entry.getString("error_type"));
    } finally {
      await(consumer.unregister());
    }
  }

  @Test
  void invalidRulesAreRefusedWhenSavedNamingTheRule() {
    JsonObject proxy = await(FaultlineHarness.createProxy(admin, faultline, new JsonObject().put("name", "rules")
        .put("provider", "mock")));
    String id = proxy.getString("id");
    assertInvalid(id, rules(List.of("10.0.0.0/8", "10.0.0.0/33"), List.of()), "ip.allow[1]", "10.0.0.0/33");
    assertInvalid(id, rules(List.of(), List.of("300.1.1.1")), "ip.block[0]", "300.1.1.1");
    assertInvalid(id, rules(List.of("2001:db8::/129"), List.of()), "ip.allow[0]", "2001:db8::/129");
    assertInvalid(id, rules(List.of("10.0.*"), List.of()), "ip.allow[0]", "10.0.*");
    assertInvalid(id, rules(List.of("example.com"), List.of()), "ip.allow[0]", "example.com");
    assertInvalid(id, new JsonObject().put("deny", new JsonArray()), "ip.deny", "deny");
    JsonObject after = expect(await(admin.get(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + id).send()), 200)
        .bodyAsJsonObject();
    assertEquals(rules(List.of(), List.of()), after.getJsonObject("ip"), "nothing was stored");
  }

  @Test
  void ipv6CallersAreFilteredByAddressAndCidr() {
    // A Faultline of its own, on its own Vert.x: stopping it undeploys everything its Vert.x runs.
    Vertx own = Vertx.vertx();
    FaultlineConfig v4 = FaultlineHarness.config(dataDirV6);
    Faultline onV6 = await(Faultline.start(own, new FaultlineConfig("::1", 0, dataDirV6, v4.pluginsDir(), null,
        v4.portRangeFrom(), v4.portRangeTo(), v4.maxBodyBytes(), 1).withAuth(v4.auth())));
    WebClient v6 = WebClient.create(own, new WebClientOptions().setKeepAlive(false));
    try {
      int allowed = proxyOn(onV6, v6, "v6-allowed", rules(List.of("::1/128"), List.of()));
      int elsewhere = proxyOn(onV6, v6, "v6-elsewhere", rules(List.of("2001:db8::/32"), List.of()));
      int blocked = proxyOn(onV6, v6, "v6-blocked", rules(List.of(), List.of("0:0:0:0:0:0:0:1")));
      assertEquals(200, callV6(v6, allowed).statusCode());
      assertRefused(callV6(v6, elsewhere), "0:0:0:0:0:0:0:1");
      assertRefused(callV6(v6, blocked), "0:0:0:0:0:0:0:1");
    } finally {
      await(onV6.stop().eventually(own::close));
    }
  }

  private static JsonObject rules(List<String> allow, List<String> block) {
    return new JsonObject().put("allow", new JsonArray(allow)).put("block", new JsonArray(block));
  }

  private static int proxy(String name, JsonObject ip) {
    return await(FaultlineHarness.createProxy(admin, faultline, new JsonObject().put("name", name).put("provider", "mock")
        .put("ip", ip))).getInteger("port");
  }

  private static int proxyOn(Faultline target, WebClient client, String name, JsonObject ip) {
    HttpResponse<Buffer> created = await(client.post(target.adminPort(), "::1", "/api/proxies")
        .putHeader("Host", "[::1]:" + target.adminPort())
        .putHeader("Authorization", FaultlineHarness.adminAuthorization())
        .sendJsonObject(new JsonObject().put("name", name).put("provider", "mock").put("ip", ip)));
    return expect(created, 201).bodyAsJsonObject().getInteger("port");
  }

  private static WebClient from(Vertx vertx, String localAddress) {
    return WebClient.create(vertx, new WebClientOptions().setKeepAlive(false).setLocalAddress(localAddress));
  }

  private static HttpResponse<Buffer> call(WebClient client, int port, String... headers) {
    var request = client.post(port, "127.0.0.1", "/v1/chat/completions")
        .putHeader("Authorization", "Bearer sk-test").putHeader("content-type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return await(request.sendBuffer(Buffer.buffer(CHAT)));
  }

  private static HttpResponse<Buffer> callV6(WebClient client, int port) {
    return await(client.post(port, "::1", "/v1/chat/completions").putHeader("Host", "[::1]:" + port)
        .putHeader("Authorization", "Bearer sk-test")
        .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(CHAT)));
  }

  private static void assertRefused(HttpResponse<Buffer> answer, String caller) {
    assertRefused(answer, caller, "refused");
  }

  /** OpenAI's 403 shape: exactly {"error":{"message","type","param","code"}}. */
  private static void assertRefused(HttpResponse<Buffer> answer, String caller, String why) {
    assertEquals(403, answer.statusCode(), why + ": " + answer.bodyAsString());
    JsonObject error = answer.bodyAsJsonObject().getJsonObject("error");
    assertEquals(Set.of("message", "type", "param", "code"), error.fieldNames());
    assertEquals("request_forbidden", error.getString("type"));
    assertEquals("ip_not_allowed", error.getString("code"));
    assertEquals("Your IP address " + caller + " is not allowed to use this proxy.", error.getString("message"), why);
    assertTrue(answer.getHeader("x-request-id").startsWith("req_"));
  }

  private static void assertInvalid(String id, JsonObject ip, String field, String rule) {
    HttpResponse<Buffer> answer = await(admin.patch(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + id)
        .sendJsonObject(new JsonObject().put("ip", ip)));
    expect(answer, 400);
    JsonObject error = answer.bodyAsJsonObject().getJsonObject("error");
    assertEquals(field, error.getString("field"), error.encode());
    assertTrue(error.getString("message").contains(rule), error.getString("message"));
  }
}
