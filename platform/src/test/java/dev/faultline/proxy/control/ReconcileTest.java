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
    faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir)));
    client = FaultlineHarness.client(vertx);
  }

  @AfterEach
  void stop() {
    if (faultline != null) {
      await(faultline.stop());
    }
  }

  /** What this node changed itself, through every kind of change, never reads as out of step: no churn, no log. */
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
    assertEquals(0, await(faultline.proxies().reconcile()), "just created");

    admin(HttpMethod.PATCH, cached, "", new JsonObject().put("name", "renamed").put("port", FaultlineHarness.freePort()));
    admin(HttpMethod.PUT, faulted, "/faults", new JsonArray().add(new JsonObject().put("strategy", "latency")
        .put("rate", 1).put("params", new JsonObject().put("min_ms", 1).put("max_ms", 2))));
    admin(HttpMethod.POST, faulted, "/stop", null);
    admin(HttpMethod.POST, faulted, "/start", null);
    admin(HttpMethod.POST, stopped, "/start", null);
    assertEquals(0, await(faultline.proxies().reconcile()), "changed, stopped and started through the API");
    assertEquals(200, chat(get(cached).getInteger("port")).statusCode(), "the moved one answers on its new port");
  }

  @Test
  void aChangeStoredWithoutThisNodeIsFollowedOnce() {
    JsonObject proxy = create(new JsonObject().put("name", "elsewhere").put("provider", "mock"));
    int port = proxy.getInteger("port");

    sql("UPDATE proxies SET status = 'stopped' WHERE id = ?", proxy.getString("id"));
    assertEquals(1, await(faultline.proxies().reconcile()), "stopped in the store");
    assertThrows(Throwable.class, () -> chat(port), "its port closed");
    assertEquals("stopped", get(proxy).getString("status"));

    int moved = FaultlineHarness.freePort();
    sql("UPDATE proxies SET status = 'running', port = " + moved + " WHERE id = ?", proxy.getString("id"));
    assertEquals(1, await(faultline.proxies().reconcile()), "started on another port in the store");
    assertEquals(200, chat(moved).statusCode());
    assertEquals("running", get(proxy).getString("status"));
    assertEquals(0, await(faultline.proxies().reconcile()), "followed once, then in step");

    sql("DELETE FROM proxies WHERE id = ?", proxy.getString("id"));
    assertEquals(1, await(faultline.proxies().reconcile()), "deleted in the store");
    assertThrows(Throwable.class, () -> chat(moved), "its port closed");
    assertEquals(0, await(faultline.proxies().reconcile()), "and forgotten");
  }

  /** One that cannot start here reads failed, with why, and is not tried (and reported) again every round. */
  @Test
  void oneThatCannotRunHereFailsOnceUntilItIsChanged() throws IOException {
    try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      JsonObject proxy = create(new JsonObject().put("name", "squatted").put("provider", "mock")
          .put("port", squatter.getLocalPort()).put("status", "stopped"));
      sql("UPDATE proxies SET status = 'running' WHERE id = ?", proxy.getString("id"));
      assertEquals(1, await(faultline.proxies().reconcile()));
      JsonObject failed = get(proxy);
      assertEquals("failed", failed.getString("status"), failed.encode());
      assertTrue(failed.getString("error").contains("already in use"), failed.encode());
      assertEquals(0, await(faultline.proxies().reconcile()), "tried again unchanged");

      int free = FaultlineHarness.freePort();
      sql("UPDATE proxies SET port = " + free + " WHERE id = ?", proxy.getString("id"));
      assertEquals(1, await(faultline.proxies().reconcile()), "moved in the store");
      assertEquals(200, chat(free).statusCode());
    }
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
