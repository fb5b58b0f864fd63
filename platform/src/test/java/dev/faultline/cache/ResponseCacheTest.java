package dev.faultline.cache;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static dev.faultline.cache.CacheFixture.cacheOn;
import static dev.faultline.cache.CacheFixture.status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mockserver.integration.ClientAndServer;
import org.mockserver.matchers.Times;

/**
 * The cache in front of a real upstream (MockServer), through a whole Faultline: what is stored,
 * for whom, for how long, and how it is invalidated, counted on what the upstream received.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResponseCacheTest {

  private static final String COMPLETION = "{\n  \"id\": \"chatcmpl-1\", \"object\": \"chat.completion\",\n"
      + "  \"choices\": [{\"index\": 0, \"message\": {\"role\": \"assistant\", \"content\": \"h\\u00e9llo 😀\"}}]\n}\n";

  @TempDir
  Path dataDir;

  private CacheFixture fixture;
  private ClientAndServer upstream;

  @BeforeEach
  void start(Vertx vertx) {
    upstream = CacheFixture.mockUpstream();
    fixture = CacheFixture.start(vertx, dataDir);
  }

  @AfterEach
  void stop() {
    CacheFixture.stopBoth(fixture, upstream);
  }

  @Test
  void secondIdenticalRequestIsAHitThatNeverReachesTheUpstream() {
    answer(200, COMPLETION);
    JsonObject proxy = proxy(cacheOn());
    int port = proxy.getInteger("port");

    HttpResponse<Buffer> miss = fixture.chat(port, "sk-a", "hi");
    HttpResponse<Buffer> hit = fixture.chat(port, "sk-a", "hi");

    assertEquals("MISS", status(miss), miss.headers().toString());
    assertEquals("HIT", status(hit), hit.headers().toString());
    assertEquals(200, hit.statusCode());
    assertArrayEquals(miss.body().getBytes(), hit.body().getBytes(), "a hit answers byte for byte what the miss got");
    assertEquals("application/json", hit.getHeader("content-type"));
    assertEquals(String.valueOf(COMPLETION.getBytes(StandardCharsets.UTF_8).length),
        hit.getHeader("content-length"));
    assertNotEquals(miss.getHeader("x-request-id"), hit.getHeader("x-request-id"), "a hit is its own request");
    assertNull(hit.getHeader("openai-organization"), "the recording account is not replayed");
    assertEquals(1, upstreamCalls(), "only the miss reached the upstream");

    // The same JSON written differently, with a field the openai provider drops (user): same entry.
    String reordered = " {\"messages\" : [ {\"content\":\"h\\u0069\", \"role\":\"user\"} ], \"temperature\": 0.0,"
        + " \"user\": \"someone\", \"model\":\"gpt-4o-mini\"}";
    assertEquals("HIT", status(fixture.post(port, CacheFixture.CHAT, "sk-a", reordered)));
    assertEquals("MISS", status(fixture.chat(port, "sk-a", "hi!")), "another prompt is another entry");
    assertEquals(2, upstreamCalls());

    JsonObject stats = fixture.cache(proxy.getString("id"));
    assertEquals(2, stats.getLong("entries"), stats.encodePrettily());
    assertEquals(2, stats.getJsonObject("stats").getLong("hits"), stats.encodePrettily());
    assertEquals(2, stats.getJsonObject("stats").getLong("misses"), stats.encodePrettily());
    assertEquals(0.5, stats.getJsonObject("stats").getDouble("hit_rate"), stats.encodePrettily());
  }

  @Test
  void errorAnswersAreNeverStored() {
    upstream.when(request(), Times.once()).respond(response().withStatusCode(429)
        .withHeader("content-type", "application/json").withBody("{\"error\":{\"message\":\"slow down\"}}"));
    upstream.when(request(), Times.once()).respond(response().withStatusCode(500)
        .withHeader("content-type", "application/json").withBody("{\"error\":{\"message\":\"oops\"}}"));
    answer(200, COMPLETION);
    JsonObject proxy = proxy(cacheOn());
    int port = proxy.getInteger("port");

    HttpResponse<Buffer> limited = fixture.chat(port, "sk-a", "hi");
    HttpResponse<Buffer> failed = fixture.chat(port, "sk-a", "hi");
    HttpResponse<Buffer> ok = fixture.chat(port, "sk-a", "hi");
    HttpResponse<Buffer> hit = fixture.chat(port, "sk-a", "hi");

    assertEquals(429, limited.statusCode());
    assertEquals("MISS", status(limited));
    assertEquals(500, failed.statusCode());
    assertEquals("MISS", status(failed), "the 429 was not stored");
    assertEquals(200, ok.statusCode());
    assertEquals("MISS", status(ok), "the 500 was not stored");
    assertEquals("HIT", status(hit));
    assertEquals(3, upstreamCalls());
    assertEquals(1, fixture.entries(proxy.getString("id")));
  }

  @Test
  void twoApiKeysNeverShareAnEntry() {
    answer(200, COMPLETION);
    int port = proxy(cacheOn()).getInteger("port");

    assertEquals("MISS", status(fixture.chat(port, "sk-tenant-one", "same body")));
    assertEquals("MISS", status(fixture.chat(port, "sk-tenant-two", "same body")), "another key, another tenant");
    assertEquals("HIT", status(fixture.chat(port, "sk-tenant-one", "same body")));
    assertEquals("HIT", status(fixture.chat(port, "sk-tenant-two", "same body")));
    // Azure's api-key header carries the same key: the same tenant.
    assertEquals("HIT", status(fixture.post(port, CacheFixture.CHAT, null, CacheFixture.chatBody("same body"),
        "api-key", "sk-tenant-two")));
    assertEquals(2, upstreamCalls());
  }

  @Test
  void entriesExpireAfterTheirTtl() throws InterruptedException {
    answer(200, COMPLETION);
    JsonObject proxy = proxy(cacheOn().put("ttl_seconds", 1));
    int port = proxy.getInteger("port");

    assertEquals("MISS", status(fixture.chat(port, "sk-a", "hi")));
    assertEquals("HIT", status(fixture.chat(port, "sk-a", "hi")));
    // Until the entry, as stored, is over a second old: no guess at how long the above took.
    Instant expires = Instant.parse(fixture.cache(proxy.getString("id")).getJsonArray("items").getJsonObject(0)
        .getString("created_at")).plusSeconds(1);
    while (!Instant.now().isAfter(expires)) {
      Thread.sleep(Math.max(1, Duration.between(Instant.now(), expires).toMillis() + 1));
    }
    assertEquals("MISS", status(fixture.chat(port, "sk-a", "hi")), "expired after 1 s");
    assertEquals("HIT", status(fixture.chat(port, "sk-a", "hi")), "stored again");
    assertEquals(2, upstreamCalls());
  }

  @Test
  void leastRecentlyUsedEntriesAreEvictedPastMaxEntries() {
    answer(200, COMPLETION);
    JsonObject proxy = proxy(cacheOn().put("max_entries", 2));
    int port = proxy.getInteger("port");

    fixture.chat(port, "sk-a", "A");
    fixture.chat(port, "sk-a", "B");
    assertEquals("HIT", status(fixture.chat(port, "sk-a", "A")), "A is now the most recently used");
    fixture.chat(port, "sk-a", "C");

    assertEquals(2, fixture.entries(proxy.getString("id")), "capped at two entries");
    assertEquals("HIT", status(fixture.chat(port, "sk-a", "A")));
    assertEquals("HIT", status(fixture.chat(port, "sk-a", "C")));
    assertEquals("MISS", status(fixture.chat(port, "sk-a", "B")), "B was the least recently used");
    assertEquals(4, upstreamCalls());
  }

  @Test
  void maxBytesEvictsTheOldestAndATooBigAnswerIsServedButNotKept() {
    answer(200, COMPLETION);
    int size = COMPLETION.getBytes(StandardCharsets.UTF_8).length;
    JsonObject proxy = proxy(cacheOn().put("max_bytes", size * 2 + 1));
    int port = proxy.getInteger("port");

    fixture.chat(port, "sk-a", "A");
    fixture.chat(port, "sk-a", "B");
    fixture.chat(port, "sk-a", "C");
    JsonObject cache = fixture.cache(proxy.getString("id"));
    assertEquals(2, cache.getLong("entries"), cache.encodePrettily());
    assertTrue(cache.getLong("bytes") <= size * 2 + 1, cache.encodePrettily());
    assertEquals("MISS", status(fixture.chat(port, "sk-a", "A")), "A was evicted");

    expect(fixture.admin(HttpMethod.PATCH, "/api/proxies/" + proxy.getString("id"),
        new JsonObject().put("cache", cacheOn().put("max_bytes", size - 1))), 200);
    HttpResponse<Buffer> tooBig = fixture.chat(port, "sk-a", "D");
    assertEquals(200, tooBig.statusCode());
    assertEquals("MISS", status(fixture.chat(port, "sk-a", "D")), "an answer over max_bytes is not kept");
    JsonObject after = fixture.cacheOnce(proxy.getString("id"),
        c -> c.getJsonObject("stats").getLong("too_big") == 2);
    assertEquals(0, after.getLong("entries"), "lowering max_bytes evicted the rest: " + after.encodePrettily());
    assertEquals(2, after.getJsonObject("stats").getLong("too_big"), after.encodePrettily());
  }

  @Test
  void invalidatingOneEntryOrAllOfThem() {
    answer(200, COMPLETION);
    JsonObject proxy = proxy(cacheOn());
    String id = proxy.getString("id");
    int port = proxy.getInteger("port");
    fixture.chat(port, "sk-a", "A");
    fixture.chat(port, "sk-a", "B");

    JsonArray items = fixture.cache(id).getJsonArray("items");
    assertEquals(2, items.size(), items.encodePrettily());
    JsonObject item = items.getJsonObject(0);
    assertEquals("gpt-4o-mini", item.getString("model"));
    assertEquals(CacheFixture.CHAT, item.getString("path"));
    assertTrue(item.getLong("size") > 0, item.encode());
    assertTrue(item.getString("created_at").endsWith("Z"), item.encode());
    assertEquals("h\u00e9llo 😀", item.getString("preview"), "the answer's first words, escapes read");
    // Newest first: B.
    String keyOfB = item.getString("key");

    expect(fixture.admin(HttpMethod.DELETE, "/api/proxies/" + id + "/cache/" + keyOfB, null), 204);
    assertEquals("HIT", status(fixture.chat(port, "sk-a", "A")));
    assertEquals("MISS", status(fixture.chat(port, "sk-a", "B")), "B's entry was deleted");
    assertEquals(404, fixture.admin(HttpMethod.DELETE, "/api/proxies/" + id + "/cache/" + "0".repeat(64), null)
        .statusCode());
    HttpResponse<Buffer> malformed = fixture.admin(HttpMethod.DELETE, "/api/proxies/" + id + "/cache/nope", null);
    assertEquals(400, malformed.statusCode());
    assertEquals("key", malformed.bodyAsJsonObject().getJsonObject("error").getString("field"));

    JsonObject cleared = expect(fixture.admin(HttpMethod.DELETE, "/api/proxies/" + id + "/cache", null), 200)
        .bodyAsJsonObject();
    assertEquals(2, cleared.getInteger("deleted"), cleared.encode());
    assertEquals(0, fixture.entries(id));
    assertEquals("MISS", status(fixture.chat(port, "sk-a", "A")), "cleared from memory too");
    assertEquals(404, fixture.admin(HttpMethod.DELETE, "/api/proxies/prx_nope/cache", null).statusCode());
  }

  @Test
  void cacheControlNoStoreBypassesAndNoCacheRefreshes() {
    upstream.when(request(), Times.once()).respond(response().withStatusCode(200)
        .withHeader("content-type", "application/json").withBody("{\"answer\":1}"));
    upstream.when(request(), Times.once()).respond(response().withStatusCode(200)
        .withHeader("content-type", "application/json").withBody("{\"answer\":2}"));
    answer(200, "{\"answer\":3}");
    JsonObject proxy = proxy(cacheOn());
    int port = proxy.getInteger("port");

    HttpResponse<Buffer> noStore = fixture.chat(port, "sk-a", "hi", "Cache-Control", "no-store");
    assertEquals("BYPASS", status(noStore));
    assertEquals(0, fixture.entries(proxy.getString("id")), "no-store stores nothing");

    assertEquals("MISS", status(fixture.chat(port, "sk-a", "hi")));
    HttpResponse<Buffer> refreshed = fixture.chat(port, "sk-a", "hi", "Cache-Control", "max-age=0, no-cache");
    assertEquals("BYPASS", status(refreshed));
    assertEquals(new JsonObject().put("answer", 3), refreshed.bodyAsJsonObject());
    HttpResponse<Buffer> hit = fixture.chat(port, "sk-a", "hi");
    assertEquals("HIT", status(hit));
    assertEquals(new JsonObject().put("answer", 3), hit.bodyAsJsonObject(), "no-cache replaced the entry");
    assertEquals(3, upstreamCalls());
  }

  @Test
  void onlyJsonPostsAreCachedAndSampledRequestsWhenAllowed() {
    answer(200, COMPLETION);
    int port = proxy(cacheOn().put("cache_nonzero_temperature", false)).getInteger("port");

    HttpResponse<Buffer> models = await(fixture.client.get(port, "127.0.0.1", "/v1/models")
        .putHeader("Authorization", "Bearer sk-a").send());
    assertEquals("BYPASS", status(models), "a GET is not cached");
    String warm = "{\"model\":\"gpt-4o-mini\",\"temperature\":0.7,\"messages\":[]}";
    assertEquals("BYPASS", status(fixture.post(port, CacheFixture.CHAT, "sk-a", warm)));
    assertEquals("BYPASS", status(fixture.post(port, CacheFixture.CHAT, "sk-a", warm)), "temperature 0.7 not cached");
    String unset = "{\"model\":\"gpt-4o-mini\",\"messages\":[]}";
    assertEquals("BYPASS", status(fixture.post(port, CacheFixture.CHAT, "sk-a", unset)), "default temperature is 1");
    String embeddings = "{\"model\":\"text-embedding-3-small\",\"input\":\"hi\"}";
    fixture.post(port, "/v1/embeddings", "sk-a", embeddings);
    assertEquals("HIT", status(fixture.post(port, "/v1/embeddings", "sk-a", embeddings)), "embeddings do not sample");
    fixture.chat(port, "sk-a", "cold");
    assertEquals("HIT", status(fixture.chat(port, "sk-a", "cold")), "temperature 0 is cached");
  }

  @Test
  void settingsAreValidatedAndOffByDefault() {
    answer(200, COMPLETION);
    JsonObject plain = fixture.proxy("openai", CacheFixture.url(upstream), null);
    JsonObject block = plain.getJsonObject("cache");
    assertEquals(false, block.getBoolean("enabled"), plain.encodePrettily());
    assertNull(block.getValue("ttl_seconds"));
    assertEquals(true, block.getBoolean("cache_nonzero_temperature"));
    HttpResponse<Buffer> uncached = fixture.chat(plain.getInteger("port"), "sk-a", "hi");
    assertNull(status(uncached), "no cache header while the cache is off");

    String path = "/api/proxies/" + plain.getString("id");
    for (Object[] bad : new Object[][] {
        {new JsonObject().put("ttl_seconds", 0), "cache.ttl_seconds"},
        {new JsonObject().put("ttl_seconds", "60"), "cache.ttl_seconds"},
        {new JsonObject().put("max_entries", -1), "cache.max_entries"},
        {new JsonObject().put("max_bytes", 1.5), "cache.max_bytes"},
        {new JsonObject().put("enabled", "yes"), "cache.enabled"},
        {new JsonObject().put("ttl", 60), "cache.ttl"},
        {"on", "cache"}}) {
      HttpResponse<Buffer> refused = fixture.admin(HttpMethod.PATCH, path, new JsonObject().put("cache", bad[0]));
      assertEquals(400, refused.statusCode(), bad[0] + " -> " + refused.bodyAsString());
      assertEquals(bad[1], refused.bodyAsJsonObject().getJsonObject("error").getString("field"), refused.bodyAsString());
    }

    JsonObject enabled = expect(fixture.admin(HttpMethod.PATCH, path,
        new JsonObject().put("cache", cacheOn().put("ttl_seconds", 3600))), 200).bodyAsJsonObject();
    assertEquals(3600, enabled.getJsonObject("cache").getInteger("ttl_seconds"), enabled.encodePrettily());
    assertEquals("MISS", status(fixture.chat(plain.getInteger("port"), "sk-a", "hi")), "effective without a restart");
    HttpResponse<Buffer> page = fixture.admin(HttpMethod.GET, path + "/cache?limit=0", null);
    assertEquals(400, page.statusCode());
    assertEquals("limit", page.bodyAsJsonObject().getJsonObject("error").getString("field"));
  }

  @Test
  void listingPagesThroughEntries() {
    answer(200, COMPLETION);
    JsonObject proxy = proxy(cacheOn());
    for (String prompt : new String[] {"A", "B", "C"}) {
      fixture.chat(proxy.getInteger("port"), "sk-a", prompt);
    }
    String base = "/api/proxies/" + proxy.getString("id") + "/cache";
    Set<String> keys = new HashSet<>();
    for (int offset = 0; offset < 3; offset += 2) {
      JsonObject page = expect(fixture.admin(HttpMethod.GET, base + "?limit=2&offset=" + offset, null), 200)
          .bodyAsJsonObject();
      assertEquals(3, page.getLong("entries"), page.encodePrettily());
      assertEquals(offset == 0 ? 2 : 1, page.getJsonArray("items").size(), page.encodePrettily());
      page.getJsonArray("items").forEach(item -> keys.add(((JsonObject) item).getString("key")));
    }
    assertEquals(3, keys.size(), "three distinct entries over two pages: " + keys);
  }

  // --- helpers -------------------------------------------------------------------------------

  private void answer(int status, String body) {
    upstream.when(request()).respond(response().withStatusCode(status)
        .withHeader("content-type", "application/json").withHeader("x-request-id", "req_upstream")
        .withHeader("openai-organization", "org-secret").withBody(body));
  }

  private JsonObject proxy(JsonObject cache) {
    return fixture.proxy("openai", CacheFixture.url(upstream), cache);
  }

  private int upstreamCalls() {
    return upstream.retrieveRecordedRequests(request()).length;
  }
}
