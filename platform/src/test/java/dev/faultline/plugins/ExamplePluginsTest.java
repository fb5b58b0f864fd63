package dev.faultline.plugins;

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
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The template plugins of plugins/examples, as their modules build them, loaded into a real
 * Faultline beside the bundled ones: the Acme provider serves a proxy and every built-in fault
 * speaks its dialect; the maintenance fault answers in whichever dialect the request speaks.
 * This is the "test against a real host" step a third party copies.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ExamplePluginsTest {

  /** Where Maven copies the example jars (never dist/plugins). */
  static final Path EXAMPLES = Path.of(System.getProperty("faultline.test.examples", "target/example-plugins"));
  static final String GENERATE = "{\"model\":\"acme-1\",\"prompt\":\"hello there\"}";
  static final String STREAM = "{\"model\":\"acme-1\",\"prompt\":\"one two three four\",\"stream\":true}";

  @TempDir
  static Path dataDir;
  @TempDir
  static Path plugins;

  static final AtomicInteger PROXIES = new AtomicInteger();
  static Faultline faultline;
  static WebClient client;

  @BeforeAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void start(Vertx vertx) throws IOException {
    for (String jar : List.of("provider-mock.jar", "faults-builtin.jar")) {
      Files.copy(FaultlineHarness.PLUGINS.resolve(jar), plugins.resolve(jar));
    }
    for (String jar : List.of("example-acme-provider.jar", "example-maintenance-fault.jar")) {
      Files.copy(EXAMPLES.resolve(jar), plugins.resolve(jar));
    }
    faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir).withPluginsDir(plugins)));
    client = FaultlineHarness.client(vertx);
  }

  @AfterAll
  static void stop() {
    await(faultline.stop());
  }

  @Test
  void bothExamplesLoadWithTheirManifests() {
    JsonObject plugins = expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/plugins").send()), 200)
        .bodyAsJsonObject();
    String listed = plugins.encode();
    assertTrue(listed.contains("\"example-acme-provider\"") && listed.contains("\"example-maintenance-fault\""),
        plugins.encodePrettily());
    assertTrue(listed.contains("\"fault:maintenance\""), plugins.encodePrettily());
    assertTrue(listed.contains(">=0.2.0 & <1.0.0"), "Plugin-Requires is read: " + plugins.encodePrettily());
    assertTrue(plugins.getJsonArray("failed", new JsonArray()).isEmpty(), plugins.encodePrettily());
  }

  @Test
  void theAcmeProviderServesAProxyWholeAndStreamed() {
    int port = proxy("acme", new JsonArray());

    HttpResponse<Buffer> whole = post(port, "/v1/generate", GENERATE);
    HttpResponse<Buffer> stream = post(port, "/v1/generate", STREAM);

    assertEquals(200, whole.statusCode(), whole.bodyAsString());
    assertEquals("echo: hello there", whole.bodyAsJsonObject().getString("text"));
    assertEquals(200, stream.statusCode());
    assertTrue(stream.bodyAsString().endsWith("event: done\ndata: {\"usage\":{\"input_units\":4,\"output_units\":5}}\n\n"),
        stream.bodyAsString());
  }

  @Test
  void builtInFaultsSpeakAcmeOnAnAcmeProxy() {
    int errors = proxy("acme", faults(fault("http-error", new JsonObject().put("status", 500))));
    int limited = proxy("acme", faults(fault("rate-limit", new JsonObject().put("requests_per_minute", 1))));
    int broken = proxy("acme", faults(fault("stream-error", new JsonObject().put("after_events", 2))));

    HttpResponse<Buffer> error = post(errors, "/v1/generate", GENERATE);
    assertEquals(500, error.statusCode());
    JsonObject failure = error.bodyAsJsonObject().getJsonObject("failure");
    assertEquals("internal", failure.getString("kind"), error.bodyAsString());
    assertEquals("Something broke at Acme.", failure.getString("detail"));

    assertEquals(200, post(limited, "/v1/generate", GENERATE).statusCode());
    HttpResponse<Buffer> refused = post(limited, "/v1/generate", GENERATE);
    assertEquals(429, refused.statusCode());
    assertEquals("quota_exceeded", refused.bodyAsJsonObject().getJsonObject("failure").getString("kind"));
    assertEquals("1", refused.getHeader("acme-quota-limit"));
    assertEquals("0", refused.getHeader("acme-quota-remaining"));
    assertTrue(Long.parseLong(refused.getHeader("retry-after")) >= 1, refused.headers().toString());
    assertEquals(null, refused.getHeader("x-ratelimit-limit-requests"), "no OpenAI headers on an Acme answer");

    String stream = post(broken, "/v1/generate", STREAM).bodyAsString();
    assertTrue(stream.contains("event: failure\ndata: {\"failure\":{\"status\":500,\"kind\":\"internal\""), stream);
    assertFalse(stream.contains("event: done"), "the failure replaces Acme's stream end: " + stream);
  }

  @Test
  void theMaintenanceFaultAnswersInTheDialectOfEachRequest() {
    JsonArray maintenance = faults(fault("maintenance", new JsonObject().put("status", 529).put("retry_after", 7)));
    int acme = proxy("acme", maintenance);
    int mock = proxy("mock", maintenance);

    HttpResponse<Buffer> onAcme = post(acme, "/v1/generate", GENERATE);
    HttpResponse<Buffer> onMessages = post(mock, "/v1/messages",
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    HttpResponse<Buffer> onChat = post(mock, "/v1/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertEquals(529, onAcme.statusCode());
    assertEquals("internal", onAcme.bodyAsJsonObject().getJsonObject("failure").getString("kind"));
    assertEquals("7", onAcme.getHeader("retry-after"));
    assertEquals("maintenance", onAcme.getHeader("x-faultline-fault"));

    assertEquals(529, onMessages.statusCode());
    assertEquals(new JsonObject().put("type", "overloaded_error").put("message", "Overloaded"),
        onMessages.bodyAsJsonObject().getJsonObject("error"));
    assertEquals("true", onMessages.getHeader("x-should-retry"));
    assertEquals("7", onMessages.getHeader("retry-after"));

    assertEquals(529, onChat.statusCode());
    assertEquals("overloaded_error", onChat.bodyAsJsonObject().getJsonObject("error").getString("type"));
    assertEquals("7000", onChat.getHeader("retry-after-ms"));
  }

  private static int proxy(String provider, JsonArray faults) {
    JsonObject proxy = new JsonObject().put("name", "example-" + provider + "-" + PROXIES.incrementAndGet()).put("provider", provider)
        .put("faults", faults);
    return await(FaultlineHarness.createProxy(client, faultline, proxy)).getInteger("port");
  }

  private static JsonArray faults(JsonObject... entries) {
    return new JsonArray(List.of((Object[]) entries));
  }

  private static JsonObject fault(String strategy, JsonObject params) {
    return new JsonObject().put("strategy", strategy).put("rate", 1).put("params", params);
  }

  private static HttpResponse<Buffer> post(int port, String path, String body) {
    return await(client.post(port, "127.0.0.1", path).putHeader("content-type", "application/json")
        .putHeader("authorization", "Bearer sk-test").sendBuffer(Buffer.buffer(body)));
  }
}
