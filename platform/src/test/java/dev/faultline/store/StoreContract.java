package dev.faultline.store;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every store does, the same on each database: a whole Faultline on the store a subclass
 * names, driven through the admin API and its proxies, so each statement runs as in production.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class StoreContract {

  static final String CHAT = "/v1/chat/completions";

  @TempDir
  Path dataDir;

  Faultline faultline;
  WebClient client;

  /** The {@code store:} block under test. */
  abstract FaultlineConfig.Store store();

  abstract StoreKind kind();

  @BeforeEach
  void start(Vertx vertx) {
    faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir).withStore(store())));
    client = FaultlineHarness.client(vertx);
  }

  @AfterEach
  void stop() {
    if (faultline != null) {
      await(faultline.stop());
    }
  }

  @Test
  void theDatabaseIsOfTheKindConfigured() {
    assertEquals(kind(), faultline.database().kind());
  }

  @Test
  void proxiesAreStoredChangedAndDeletedWithUniqueNamesAndPorts() {
    JsonObject first = proxy("one", null);
    HttpResponse<Buffer> sameName = admin(HttpMethod.POST, "/api/proxies",
        new JsonObject().put("name", "one").put("provider", "mock"));
    assertEquals(409, sameName.statusCode(), sameName.bodyAsString());
    HttpResponse<Buffer> samePort = admin(HttpMethod.POST, "/api/proxies",
        new JsonObject().put("name", "two").put("provider", "mock").put("port", first.getInteger("port")));
    assertEquals(409, samePort.statusCode(), samePort.bodyAsString());

    JsonObject renamed = expect(admin(HttpMethod.PATCH, "/api/proxies/" + first.getString("id"),
        new JsonObject().put("name", "renamed")), 200).bodyAsJsonObject();
    assertEquals("renamed", renamed.getString("name"));
    JsonArray listed = expect(admin(HttpMethod.GET, "/api/proxies", null), 200).bodyAsJsonArray();
    assertEquals("renamed", listed.getJsonObject(0).getString("name"), listed.encode());

    expect(admin(HttpMethod.DELETE, "/api/proxies/" + first.getString("id"), null), 204);
    assertEquals(0, expect(admin(HttpMethod.GET, "/api/proxies", null), 200).bodyAsJsonArray().size());
  }

  @Test
  void aProxyWithoutAPortGetsTheLowestFreePortOfTheRange() {
    int first = proxy("first", null).getInteger("port");
    JsonObject pinned = expect(admin(HttpMethod.POST, "/api/proxies", new JsonObject().put("name", "pinned")
        .put("provider", "mock").put("port", first + 1)), 201).bodyAsJsonObject();
    int third = proxy("third", null).getInteger("port");
    assertTrue(third > first + 1, "past the ports proxies have: " + first + ", " + (first + 1) + ", then " + third);

    expect(admin(HttpMethod.DELETE, "/api/proxies/" + pinned.getString("id"), null), 204);
    assertEquals(first + 1, proxy("fourth", null).getInteger("port"), "a port given back is handed out again");
  }

  @Test
  void trafficIsLoggedQueriedPagedAndCached() {
    JsonObject proxy = proxy("cached", new JsonObject().put("enabled", true));
    String id = proxy.getString("id");
    int port = proxy.getInteger("port");
    assertEquals("MISS", chat(port, "hello there").getHeader("X-Faultline-Cache"));
    assertEquals("HIT", waitFor(() -> chat(port, "hello there"),
        r -> "HIT".equals(r.getHeader("X-Faultline-Cache"))).getHeader("X-Faultline-Cache"));
    chat(port, "something else");

    JsonObject all = waitFor(() -> logs("proxy=" + id), page -> page.getJsonArray("entries").size() >= 3);
    assertTrue(all.getJsonArray("entries").size() >= 3, all.encode());
    JsonObject hits = logs("proxy=" + id + "&cache=HIT");
    assertTrue(hits.getJsonArray("entries").stream().allMatch(e -> "HIT".equals(((JsonObject) e)
        .getString("cache_status"))), hits.encode());
    assertTrue(hits.getJsonArray("entries").size() >= 1, hits.encode());
    assertEquals(0, logs("proxy=" + id + "&fault=latency").getJsonArray("entries").size());
    assertEquals(0, logs("proxy=" + id + "&status=5xx").getJsonArray("entries").size());

    JsonObject first = logs("proxy=" + id + "&limit=1");
    assertNotNull(first.getString("next_cursor"), first.encode());
    JsonObject second = logs("proxy=" + id + "&limit=1&cursor=" + first.getString("next_cursor"));
    assertTrue(second.getJsonArray("entries").getJsonObject(0).getLong("id")
        < first.getJsonArray("entries").getJsonObject(0).getLong("id"), second.encode());

    JsonObject cache = expect(admin(HttpMethod.GET, "/api/proxies/" + id + "/cache", null), 200).bodyAsJsonObject();
    assertEquals(2, cache.getLong("entries"), cache.encode());
    JsonObject item = cache.getJsonArray("items").getJsonObject(0);
    assertTrue(item.getLong("size") > 0, item.encode());
    expect(admin(HttpMethod.GET, "/api/proxies/" + id + "/cache/export", null), 200);
    expect(admin(HttpMethod.DELETE, "/api/proxies/" + id + "/cache/" + item.getString("key"), null), 204);
    assertEquals(1, expect(admin(HttpMethod.GET, "/api/proxies/" + id + "/cache", null), 200).bodyAsJsonObject()
        .getLong("entries"));
    expect(admin(HttpMethod.DELETE, "/api/proxies/" + id + "/cache", null), 200);
    assertEquals(0, expect(admin(HttpMethod.GET, "/api/proxies/" + id + "/cache", null), 200).bodyAsJsonObject()
        .getLong("entries"));

    JsonObject series = expect(admin(HttpMethod.GET, "/api/metrics/series?proxy=" + id + "&window=1h", null), 200)
        .bodyAsJsonObject();
    long requests = series.getJsonArray("points").stream().mapToLong(p -> ((JsonObject) p).getLong("requests")).sum();
    assertTrue(requests >= 3, series.encode());
    assertTrue(series.getJsonArray("points").stream().anyMatch(p -> ((JsonObject) p).getValue("p50_ms") != null),
        series.encode());
  }

  @Test
  void signInIgnoresTheEmailsCaseAndChangesAreAudited() {
    HttpResponse<Buffer> login = await(client.post(faultline.adminPort(), "127.0.0.1", "/api/auth/login")
        .sendJsonObject(new JsonObject().put("email", FaultlineHarness.ADMIN_EMAIL.toUpperCase())
            .put("password", FaultlineHarness.ADMIN_PASSWORD)));
    assertEquals(200, login.statusCode(), login.bodyAsString());
    HttpResponse<Buffer> wrong = await(client.post(faultline.adminPort(), "127.0.0.1", "/api/auth/login")
        .sendJsonObject(new JsonObject().put("email", FaultlineHarness.ADMIN_EMAIL).put("password", "not it at all")));
    assertEquals(401, wrong.statusCode(), wrong.bodyAsString());

    String id = proxy("audited", null).getString("id");
    JsonObject audit = waitFor(() -> expect(admin(HttpMethod.GET, "/api/audit", null), 200).bodyAsJsonObject(),
        a -> a.encode().contains(id));
    assertTrue(audit.getJsonArray("entries").stream().map(JsonObject.class::cast)
        .anyMatch(e -> "proxy.create".equals(e.getString("action")) && id.equals(e.getString("target_id"))),
        audit.encode());
  }

  JsonObject proxy(String name, JsonObject cache) {
    JsonObject body = new JsonObject().put("name", name).put("provider", "mock");
    if (cache != null) {
      body.put("cache", cache);
    }
    return await(FaultlineHarness.createProxy(client, faultline, body));
  }

  HttpResponse<Buffer> chat(int port, String content) {
    String body = new JsonObject().put("model", "gpt-4o-mini").put("temperature", 0).put("messages",
        new JsonArray().add(new JsonObject().put("role", "user").put("content", content))).encode();
    return expect(await(client.post(port, "127.0.0.1", CHAT).putHeader("content-type", "application/json")
        .putHeader("Authorization", "Bearer sk-contract").sendBuffer(Buffer.buffer(body))), 200);
  }

  JsonObject logs(String query) {
    return expect(admin(HttpMethod.GET, "/api/logs?" + query, null), 200).bodyAsJsonObject();
  }

  HttpResponse<Buffer> admin(HttpMethod method, String path, JsonObject body) {
    var request = client.request(method, faultline.adminPort(), "127.0.0.1", path);
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  /** What {@code read} gives once {@code done} holds, or its last answer after 10 s (writes are batched). */
  static <T> T waitFor(java.util.function.Supplier<T> read, Predicate<T> done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    T value = read.get();
    while (!done.test(value) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return value;
      }
      value = read.get();
    }
    return value;
  }
}
