package dev.faultline.proxy.control;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's check of its proxies against the store, which a cluster node runs every few seconds
 * for a change whose announcement it missed. Here on one node, with the store changed under it
 * by SQL, as another node's change is when its announcement does not arrive.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReconcileTest {

  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir
  Path dataDir;

  private Faultline faultline;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) {
    faultline = await(FaultlineHarness.start(vertx, dataDir));
    client = FaultlineHarness.client(vertx);
  }

  @AfterEach
  void stop() {
    if (faultline != null) {
      await(faultline.stop());
    }
  }

  /** What this node changed itself, through every kind of change, never reads as out of step: nothing is followed. */
  @Test
  void proxiesChangedThroughTheApiAreInStep() {
    JsonObject cached = create(new JsonObject().put("name", "cached").put("provider", "mock")
        .put("cache", new JsonObject().put("enabled", true).put("ttl_seconds", 3600)));
    JsonObject faulted = create(new JsonObject().put("name", "faulted").put("provider", "mock")
        .put("require_api_key", false).put("options", new JsonObject().put("completion_tokens", 8))
        .put("faults", new JsonArray().add(new JsonObject().put("strategy", "http-error").put("rate", 0.5)
            .put("params", new JsonObject().put("status", 429)))));
    JsonObject stopped = create(new JsonObject().put("name", "stopped").put("provider", "openai")
        .put("upstream", "http://127.0.0.1:9").put("status", "stopped"));
    assertEquals(List.of(), reconcile(), "just created");

    admin(HttpMethod.PATCH, cached, "", new JsonObject().put("name", "renamed").put("port", FaultlineHarness.freePort()));
    admin(HttpMethod.PUT, faulted, "/faults", new JsonArray().add(new JsonObject().put("strategy", "latency")
        .put("rate", 1).put("params", new JsonObject().put("min_ms", 1).put("max_ms", 2))));
    admin(HttpMethod.POST, faulted, "/stop", null);
    admin(HttpMethod.POST, faulted, "/start", null);
    admin(HttpMethod.POST, stopped, "/start", null);
    assertEquals(List.of(), reconcile(), "changed, stopped and started through the API");
    assertEquals(200, chat(get(cached).getInteger("port")).statusCode(), "the moved one answers on its new port");
  }

  @Test
  void aChangeStoredWithoutThisNodeIsFollowedOnce() {
    JsonObject proxy = create(new JsonObject().put("name", "elsewhere").put("provider", "mock"));
    String id = proxy.getString("id");
    int port = proxy.getInteger("port");

    sql("UPDATE proxies SET status = 'stopped' WHERE id = ?", id);
    assertEquals(List.of(id), reconcile(), "stopped in the store");
    assertThrows(Throwable.class, () -> chat(port), "its port closed");
    assertEquals("stopped", get(proxy).getString("status"));

    int moved = FaultlineHarness.freePort();
    sql("UPDATE proxies SET status = 'running', port = " + moved + " WHERE id = ?", id);
    assertEquals(List.of(id), reconcile(), "started on another port in the store");
    assertEquals(200, chat(moved).statusCode());
    assertEquals("running", get(proxy).getString("status"));
    assertEquals(List.of(), reconcile(), "followed once, then in step");

    sql("DELETE FROM proxies WHERE id = ?", id);
    assertEquals(List.of(id), reconcile(), "deleted in the store");
    assertThrows(Throwable.class, () -> chat(moved), "its port closed");
    assertEquals(List.of(), reconcile(), "and forgotten");
  }

  /**
   * Deleted, and its port given to a proxy made since (the store hands out the lowest free port):
   * the old one leaves the port before the new one takes it.
   */
  @Test
  void aPortFreedAndTakenAgainElsewhereGoesToTheNewProxy() {
    JsonObject old = create(new JsonObject().put("name", "old").put("provider", "mock"));
    int port = old.getInteger("port");
    // As this node sees it: "old" deleted, "new" (another id) created on its port.
    sql("UPDATE proxies SET id = 'prx_000000000new', name = 'new' WHERE id = ?", old.getString("id"));
    assertEquals(Set.of(old.getString("id"), "prx_000000000new"), Set.copyOf(reconcile()));
    assertEquals("running", get(new JsonObject().put("id", "prx_000000000new")).getString("status"));
    assertEquals(200, chat(port).statusCode());
    assertEquals(List.of(), reconcile());
  }

  /** Two proxies trade ports: each finds the other still on its new port, and moves at a later check. */
  @Test
  void proxiesTradingPortsEndOnTheirNewPorts() {
    JsonObject first = create(new JsonObject().put("name", "first").put("provider", "mock"));
    JsonObject second = create(new JsonObject().put("name", "second").put("provider", "mock")
        .put("options", new JsonObject().put("completion_tokens", 3)));
    int firstPort = first.getInteger("port");
    int secondPort = second.getInteger("port");
    sql("UPDATE proxies SET port = 1 WHERE id = ?", first.getString("id"));
    sql("UPDATE proxies SET port = " + firstPort + " WHERE id = ?", second.getString("id"));
    sql("UPDATE proxies SET port = " + secondPort + " WHERE id = ?", first.getString("id"));

    assertEquals(Set.of(first.getString("id"), second.getString("id")), Set.copyOf(reconcile()));
    // Each one refused for a port the other still had is tried again once it is free.
    List<String> followed = reconcile();
    for (int check = 1; !followed.isEmpty(); check++) {
      assertTrue(check < 4, "still following after three checks: " + followed);
      followed = reconcile();
    }
    assertEquals("running", get(first).getString("status"), get(first).encode());
    assertEquals("running", get(second).getString("status"), get(second).encode());
    assertEquals(3, completionTokens(chat(firstPort)), "the second one answers on the first one's old port");
    assertEquals(200, chat(secondPort).statusCode());
  }

  /**
   * What this node cannot run as stored is down here and reads failed, with why, and is not tried
   * (and reported) again at every check: its provider not loaded here, its options refused by this
   * node's plugin, its new port held by another program.
   */
  @Test
  void whatCannotRunHereAsStoredIsDownAndFailedUntilItIsChanged() throws IOException {
    JsonObject unknown = create(new JsonObject().put("name", "unknown").put("provider", "mock"));
    JsonObject refused = create(new JsonObject().put("name", "refused").put("provider", "mock"));
    JsonObject moving = create(new JsonObject().put("name", "moving").put("provider", "mock"));
    try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      sql("UPDATE proxies SET provider = 'elsewhere-only' WHERE id = ?", unknown.getString("id"));
      sql("UPDATE proxies SET options = '{\"no_such_option\":1}' WHERE id = ?", refused.getString("id"));
      sql("UPDATE proxies SET port = " + squatter.getLocalPort() + " WHERE id = ?", moving.getString("id"));
      assertEquals(3, reconcile().size());
      assertFailed(unknown, "elsewhere-only");
      assertFailed(refused, "no_such_option");
      assertFailed(moving, "already in use");
      for (JsonObject proxy : List.of(unknown, refused, moving)) {
        assertThrows(Throwable.class, () -> chat(proxy.getInteger("port")), proxy.getString("name") + " is down");
      }
      assertEquals(List.of(), reconcile(), "tried again unchanged");

      int free = FaultlineHarness.freePort();
      sql("UPDATE proxies SET port = " + free + " WHERE id = ?", moving.getString("id"));
      assertEquals(List.of(moving.getString("id")), reconcile(), "moved again in the store");
      assertEquals(200, chat(free).statusCode());
    }
  }

  /**
   * A start refused here stays failed, with why, though the store still says stopped; one that
   * failed as another node stored it reads stopped once it is stopped there, unheard of.
   */
  @Test
  void aRefusedStartStaysFailedAndAMissedStopClearsAFailure() throws IOException {
    try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      JsonObject asked = create(new JsonObject().put("name", "asked").put("provider", "mock")
          .put("port", squatter.getLocalPort()).put("status", "stopped"));
      HttpResponse<Buffer> start = await(client.post(faultline.adminPort(), "127.0.0.1",
          "/api/proxies/" + asked.getString("id") + "/start").send());
      assertEquals(409, start.statusCode(), start.bodyAsString());
      assertEquals(List.of(), reconcile(), "the stored stopped does not undo a refusal made here");
      assertFailed(asked, "already in use");

      JsonObject elsewhere = create(new JsonObject().put("name", "elsewhere").put("provider", "mock")
          .put("port", FaultlineHarness.freePort()).put("status", "stopped"));
      sql("UPDATE proxies SET port = " + FaultlineHarness.freePort() + " WHERE id = ?", asked.getString("id"));
      sql("UPDATE proxies SET status = 'running', port = " + squatter.getLocalPort() + " WHERE id = ?",
          elsewhere.getString("id"));
      assertEquals(List.of(elsewhere.getString("id")), reconcile());
      assertFailed(elsewhere, "already in use");
      sql("UPDATE proxies SET status = 'stopped' WHERE id = ?", elsewhere.getString("id"));
      assertEquals(List.of(elsewhere.getString("id")), reconcile(), "stopped in the store, unannounced");
      assertEquals("stopped", get(elsewhere).getString("status"), get(elsewhere).encode());
    }
  }

  /** Adopting proxies made before accounts existed changes the running ones here too, not only their rows. */
  @Test
  void adoptedProxiesRunAsTheirNewOwners() {
    JsonObject proxy = create(new JsonObject().put("name", "orphan").put("provider", "mock"));
    sql("UPDATE proxies SET owner_id = NULL WHERE id = ?", proxy.getString("id"));
    assertEquals(List.of(proxy.getString("id")), reconcile(), "it runs here with no owner, as one made before accounts");

    assertEquals(1, await(faultline.proxies().adoptOrphans(proxy.getString("owner"))));
    assertEquals(List.of(), reconcile(), "it runs as the adopter's");
    assertEquals(200, chat(proxy.getInteger("port")).statusCode(), "reconfigured in place, its port open throughout");
  }

  private void assertFailed(JsonObject proxy, String why) {
    JsonObject seen = get(proxy);
    assertEquals("failed", seen.getString("status"), seen.encode());
    assertTrue(seen.getString("error").contains(why), seen.encode());
  }

  private List<String> reconcile() {
    return await(faultline.proxies().reconcile());
  }

  private static int completionTokens(HttpResponse<Buffer> answer) {
    return answer.bodyAsJsonObject().getJsonObject("usage").getInteger("completion_tokens");
  }

  private JsonObject create(JsonObject body) {
    return await(FaultlineHarness.createProxy(client, faultline, body));
  }

  private JsonObject get(JsonObject proxy) {
    return admin(HttpMethod.GET, proxy, "", null).bodyAsJsonObject();
  }

  private HttpResponse<Buffer> admin(HttpMethod method, JsonObject proxy, String path, Object body) {
    HttpRequest<Buffer> request = client.request(method, faultline.adminPort(), "127.0.0.1",
        "/api/proxies/" + proxy.getString("id") + path);
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.putHeader("content-type",
        "application/json").sendBuffer(Buffer.buffer(Json.encode(body)));
    return expect(await(sent), 200);
  }

  private HttpResponse<Buffer> chat(int port) {
    return await(client.post(port, "127.0.0.1", "/v1/chat/completions").putHeader("Authorization", "Bearer sk-test")
        .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(CHAT)));
  }

  private void sql(String statement, String id) {
    await(faultline.database().pool().preparedQuery(statement).execute(Tuple.of(id)));
  }
}
