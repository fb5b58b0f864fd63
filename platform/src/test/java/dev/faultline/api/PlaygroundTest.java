package dev.faultline.api;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The playground sends a real request to the proxy's own port: the answer, a stream, an injected
 * error and a reset arrive as they would for any caller, the request is logged like theirs, the
 * key given for the call is kept nowhere, and only the proxy's owner (or an admin) may use it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(90)
class PlaygroundTest {

  private static final String CANARY_KEY = "sk-playground-canary-5f1d2c9e7b";
  private static final JsonArray HELLO = new JsonArray().add(new JsonObject().put("role", "user")
      .put("content", "Say hello"));

  @TempDir
  Path dataDir;

  private Faultline faultline;
  private WebClient admin;
  private WebClient anonymous;
  private int port;
  private String proxyId;

  @BeforeEach
  void start(Vertx vertx) {
    faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir)));
    admin = FaultlineHarness.client(vertx);
    anonymous = FaultlineHarness.anonymous(vertx);
    port = faultline.adminPort();
    proxyId = await(FaultlineHarness.createProxy(admin, faultline, new JsonObject().put("name", "played")
        .put("provider", "mock").put("options", new JsonObject().put("completion_tokens", 8)))).getString("id");
  }

  @AfterEach
  void stop() {
    if (faultline != null) {
      await(faultline.stop());
    }
  }

  @Test
  void answersStreamsAndInjectedFailuresArriveAsForAnyCallerAndAreLoggedSo() throws IOException {
    JsonObject whole = play(new JsonObject().put("stream", false).put("api_key", CANARY_KEY));
    assertEquals(200, whole.getInteger("status"), whole.encode());
    assertTrue(whole.getJsonObject("headers").getString("content-type").startsWith("application/json"));
    JsonObject completion = new JsonObject(whole.getString("body"));
    assertEquals("chat.completion", completion.getString("object"));
    assertEquals(8, completion.getJsonObject("usage").getInteger("completion_tokens"));
    assertTrue(whole.getDouble("ttfb_ms") <= whole.getDouble("total_ms"), whole.encode());
    assertFalse(whole.getBoolean("truncated"));
    assertNull(whole.getValue("error"));

    JsonObject streamed = play(new JsonObject().put("stream", true).put("api_key", CANARY_KEY));
    assertEquals(200, streamed.getInteger("status"));
    assertTrue(streamed.getJsonObject("headers").getString("content-type").startsWith("text/event-stream"));
    assertTrue(streamed.getString("body").startsWith("data: {") && streamed.getString("body").contains("data: [DONE]"),
        streamed.getString("body"));

    JsonObject noKey = play(new JsonObject());
    assertEquals(401, noKey.getInteger("status"), "the proxy asks for a key as it would of anyone: " + noKey);

    putFaults(new JsonObject().put("strategy", "http-error").put("rate", 1.0)
        .put("params", new JsonObject().put("status", 429)));
    JsonObject limited = play(new JsonObject().put("api_key", CANARY_KEY));
    assertEquals(429, limited.getInteger("status"), limited.encode());
    assertEquals("http-error", limited.getJsonObject("headers").getString("x-faultline-fault"));
    assertNotNull(limited.getJsonObject("headers").getString("retry-after"), limited.encode());
    assertEquals("rate_limit_exceeded", new JsonObject(limited.getString("body")).getJsonObject("error")
        .getString("code"));

    putFaults(new JsonObject().put("strategy", "connection-reset").put("rate", 1.0));
    JsonObject reset = play(new JsonObject().put("api_key", CANARY_KEY));
    assertNull(reset.getValue("status"), "no answer came: " + reset.encode());
    assertNotNull(reset.getString("error"), reset.encode());

    // Logged as any caller's requests (the reset one included), the key nowhere.
    JsonArray entries = until(() -> expect(await(admin.get(port, "127.0.0.1", "/api/logs?proxy=" + proxyId).send()),
        200).bodyAsJsonObject().getJsonArray("entries"), 5);
    assertEquals(List.of(0, 429, 401, 200, 200), entries.stream().map(JsonObject.class::cast)
        .map(e -> e.getInteger("status")).toList());
    JsonArray audit = expect(await(admin.get(port, "127.0.0.1", "/api/audit").send()), 200).bodyAsJsonObject()
        .getJsonArray("entries");
    assertTrue(audit.stream().map(JsonObject.class::cast).anyMatch(e -> e.getString("action").equals("playground.send")
        && proxyId.equals(e.getString("target_id"))), audit.encode());
    String export = expect(await(admin.get(port, "127.0.0.1", "/api/logs?export=ndjson").send()), 200).bodyAsString();
    assertFalse(export.contains(CANARY_KEY) || audit.encode().contains(CANARY_KEY));
    await(faultline.stop());
    faultline = null;
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertFalse(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)
            .contains(CANARY_KEY), "the playground's API key was written to " + file);
      }
    }
  }

  @Test
  void onlyTheOwnerMayPlayAndBadRequestsAreRefusedByName() {
    HttpResponse<Buffer> noModel = send(admin, new JsonObject().put("messages", HELLO));
    assertEquals(400, noModel.statusCode());
    assertEquals("model", noModel.bodyAsJsonObject().getJsonObject("error").getString("field"));
    HttpResponse<Buffer> badKey = send(admin, new JsonObject().put("model", "gpt-4o-mini").put("messages", HELLO)
        .put("api_key", "sk with spaces " + CANARY_KEY));
    assertEquals("api_key", badKey.bodyAsJsonObject().getJsonObject("error").getString("field"));
    assertFalse(badKey.bodyAsString().contains(CANARY_KEY), "a refused key is not echoed");
    assertEquals("messages", send(admin, new JsonObject().put("model", "m").put("messages", new JsonArray().add(1)))
        .bodyAsJsonObject().getJsonObject("error").getString("field"));
    assertEquals("temperature", send(admin, new JsonObject().put("model", "m").put("messages", HELLO)
        .put("temperature", 1)).bodyAsJsonObject().getJsonObject("error").getString("field"));

    expect(await(admin.post(port, "127.0.0.1", "/api/proxies/" + proxyId + "/stop").send()), 200);
    HttpResponse<Buffer> stopped = send(admin, new JsonObject().put("model", "m").put("messages", HELLO));
    assertEquals(409, stopped.statusCode(), stopped.bodyAsString());
    assertTrue(stopped.bodyAsString().contains("start it"), stopped.bodyAsString());

    expect(await(anonymous.post(port, "127.0.0.1", "/api/auth/register").sendJsonObject(new JsonObject()
        .put("email", "bob@faultline.test").put("password", "bobs-long-password"))), 201);
    String bob = expect(await(anonymous.post(port, "127.0.0.1", "/api/auth/login").sendJsonObject(new JsonObject()
        .put("email", "bob@faultline.test").put("password", "bobs-long-password"))), 200)
        .bodyAsJsonObject().getString("token");
    HttpResponse<Buffer> others = await(anonymous.post(port, "127.0.0.1", "/api/proxies/" + proxyId + "/playground")
        .putHeader("Authorization", "Bearer " + bob)
        .sendJsonObject(new JsonObject().put("model", "m").put("messages", HELLO)));
    assertEquals(404, others.statusCode(), "someone else's proxy is a missing one: " + others.bodyAsString());
  }

  private JsonObject play(JsonObject extra) {
    return expect(send(admin, new JsonObject().put("model", "gpt-4o-mini").put("messages", HELLO).mergeIn(extra)), 200)
        .bodyAsJsonObject();
  }

  private HttpResponse<Buffer> send(WebClient client, JsonObject body) {
    return await(client.post(port, "127.0.0.1", "/api/proxies/" + proxyId + "/playground").sendJsonObject(body));
  }

  private void putFaults(JsonObject entry) {
    expect(await(admin.put(port, "127.0.0.1", "/api/proxies/" + proxyId + "/faults")
        .sendJson(new JsonArray().add(entry))), 200);
  }

  /** The log entries once {@code count} are written (the writer is a moment behind the answers). */
  private static JsonArray until(java.util.function.Supplier<JsonArray> read, int count) {
    long deadline = System.currentTimeMillis() + 15_000;
    JsonArray last = null;
    while (System.currentTimeMillis() < deadline) {
      last = read.get();
      if (last.size() >= count) {
        return last;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("only " + (last == null ? 0 : last.size()) + " of " + count + " log entries after 15 s");
  }
}
