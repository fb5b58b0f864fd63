package dev.faultline.api;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.ConfigLoader;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The {@code proxies.defaults} setting: the blocks a new proxy starts with. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyDefaultsTest {

  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final JsonObject CACHE_FOR_A_MINUTE = new JsonObject()
      .put("cache", new JsonObject().put("enabled", true).put("ttl_seconds", 60));

  @TempDir
  Path dataDir;

  @Test
  void aNewProxyStartsWithTheConfiguredBlocksAndCachesAtOnce(Vertx vertx) {
    Faultline faultline = await(start(vertx, CACHE_FOR_A_MINUTE));
    WebClient client = FaultlineHarness.client(vertx);
    try {
      JsonObject proxy = await(FaultlineHarness.createProxy(client, faultline, mockProxy("cached")));
      JsonObject cache = proxy.getJsonObject("cache");
      assertEquals(true, cache.getBoolean("enabled"), proxy.encode());
      assertEquals(60L, cache.getLong("ttl_seconds"), proxy.encode());
      assertEquals(true, cache.getBoolean("cache_nonzero_temperature"), "fields left out take their defaults");

      assertEquals("MISS", chat(client, proxy.getInteger("port")).getHeader("X-Faultline-Cache"));
      assertEquals("HIT", chat(client, proxy.getInteger("port")).getHeader("X-Faultline-Cache"));
    } finally {
      await(faultline.stop());
    }
  }

  @Test
  void aBlockTheCreateRequestSendsWinsOverItsDefault(Vertx vertx) {
    Faultline faultline = await(start(vertx, CACHE_FOR_A_MINUTE));
    WebClient client = FaultlineHarness.client(vertx);
    try {
      JsonObject proxy = await(FaultlineHarness.createProxy(client, faultline, mockProxy("uncached")
          .put("cache", new JsonObject().put("enabled", false))));
      assertEquals(false, proxy.getJsonObject("cache").getBoolean("enabled"), proxy.encode());
      assertNull(chat(client, proxy.getInteger("port")).getHeader("X-Faultline-Cache"),
          "a proxy with the cache off says nothing about it");
    } finally {
      await(faultline.stop());
    }
  }

  @Test
  void aConfiguredFaultWindowCountsFromEachProxysCreationNotFromTheStart(Vertx vertx) throws InterruptedException {
    JsonObject outage = new JsonObject().put("strategy", "http-error").put("rate", 1)
        .put("params", new JsonObject().put("status", 503))
        .put("schedule", new JsonObject().put("from_sec", 0).put("until_sec", 600));
    Faultline faultline = await(start(vertx, new JsonObject().put("faults", new JsonArray().add(outage))));
    WebClient client = FaultlineHarness.client(vertx);
    try {
      // The start and the creation are different moments: the clock has moved on since the start.
      Instant started = Instant.now();
      Instant beforeCreation = Instant.now();
      while (!beforeCreation.isAfter(started)) {
        Thread.onSpinWait();
        beforeCreation = Instant.now();
      }
      JsonObject proxy = await(FaultlineHarness.createProxy(client, faultline, mockProxy("outage")));
      Instant setAt = Instant.parse(proxy.getJsonArray("faults").getJsonObject(0).getJsonObject("schedule")
          .getString("set_at"));
      assertTrue(!setAt.isBefore(beforeCreation), "the window was set at " + setAt + ", before the proxy was "
          + "created at " + beforeCreation);
    } finally {
      await(faultline.stop());
    }
  }

  @Test
  void proxiesThatExistedBeforeKeepTheirBlocks(Vertx vertx) {
    Faultline before = await(start(vertx, new JsonObject()));
    WebClient client = FaultlineHarness.client(vertx);
    JsonObject proxy = await(FaultlineHarness.createProxy(client, before, mockProxy("older")));
    await(before.stop());

    Faultline after = await(start(vertx, CACHE_FOR_A_MINUTE));
    try {
      JsonObject restored = expect(await(client.get(after.adminPort(), "127.0.0.1",
          "/api/proxies/" + proxy.getString("id")).send()), 200).bodyAsJsonObject();
      assertEquals(false, restored.getJsonObject("cache").getBoolean("enabled"), restored.encode());
    } finally {
      await(after.stop());
    }
  }

  @Test
  void anInvalidDefaultStopsTheStartNamingTheField(Vertx vertx) {
    assertStartFails(vertx, new JsonObject().put("cache", new JsonObject().put("ttl_seconds", -5)),
        "proxies.defaults.cache.ttl_seconds");
    assertStartFails(vertx, new JsonObject().put("caching", new JsonObject()), "proxies.defaults.caching");
  }

  private void assertStartFails(Vertx vertx, JsonObject defaults, String named) {
    Future<Faultline> started = start(vertx, defaults);
    await(started.otherwiseEmpty());
    assertTrue(started.failed(), "Faultline started with proxies.defaults " + defaults.encode());
    assertTrue(started.cause() instanceof ConfigLoader.ConfigException, "a configuration error, reported as one "
        + "(no stack trace): " + started.cause());
    assertTrue(started.cause().getMessage().contains(named), "the error should name " + named + ": "
        + started.cause().getMessage());
  }

  private Future<Faultline> start(Vertx vertx, JsonObject defaults) {
    FaultlineConfig config = FaultlineHarness.config(dataDir).withProxyDefaults(defaults);
    return Faultline.start(vertx, config);
  }

  private static JsonObject mockProxy(String name) {
    return new JsonObject().put("name", name).put("provider", "mock");
  }

  private static HttpResponse<Buffer> chat(WebClient client, int port) {
    return expect(await(client.post(port, "127.0.0.1", "/v1/chat/completions")
        .putHeader("Authorization", "Bearer sk-test").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(CHAT))), 200);
  }
}
