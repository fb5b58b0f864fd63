package dev.faultline.cache;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.mockserver.configuration.Configuration;
import org.mockserver.integration.ClientAndServer;
import org.slf4j.event.Level;

/** A whole Faultline for a cache test, with the calls those tests make to it and through it. */
final class CacheFixture {

  static final String CHAT = "/v1/chat/completions";

  final Faultline faultline;
  final WebClient client;
  private final Vertx vertx;
  private final boolean ownsVertx;
  private int proxies;

  private CacheFixture(Vertx vertx, Faultline faultline, boolean ownsVertx) {
    this.vertx = vertx;
    this.faultline = faultline;
    this.client = FaultlineHarness.client(vertx);
    this.ownsVertx = ownsVertx;
  }

  static CacheFixture start(Vertx vertx, Path dataDir) {
    return new CacheFixture(vertx, await(FaultlineHarness.start(vertx, dataDir)), false);
  }

  /** A Faultline on a Vert.x of its own, as another process or a restart has. */
  static CacheFixture startAlone(Path dataDir) {
    Vertx own = Vertx.vertx();
    try {
      return new CacheFixture(own, await(FaultlineHarness.start(own, dataDir)), true);
    } catch (RuntimeException | Error e) {
      await(own.close());
      throw e;
    }
  }

  void stop() {
    try {
      await(faultline.stop());
    } finally {
      if (ownsVertx) {
        await(vertx.close());
      }
    }
  }

  /** Stops {@code fixture}, when there is one, then {@code upstream} whatever happened. */
  static void stopBoth(CacheFixture fixture, ClientAndServer upstream) {
    try {
      if (fixture != null) {
        fixture.stop();
      }
    } finally {
      upstream.stop();
    }
  }

  /** A MockServer upstream on a free port that logs only warnings. */
  static ClientAndServer mockUpstream() {
    return ClientAndServer.startClientAndServer(Configuration.configuration().logLevel(Level.WARN)
        .disableSystemOut(true), 0);
  }

  /** The URL a proxy reaches {@code upstream} at. */
  static String url(ClientAndServer upstream) {
    return "http://127.0.0.1:" + upstream.getLocalPort();
  }

  /** A running proxy with the given cache block; {@code upstream} may be null (the provider's default). */
  JsonObject proxy(String provider, String upstream, JsonObject cache) {
    JsonObject proxy = new JsonObject().put("name", provider + "-" + (++proxies)).put("provider", provider)
        .put("upstream", upstream).put("cache", cache);
    JsonObject created = await(FaultlineHarness.createProxy(client, faultline, proxy));
    assertEquals("running", created.getString("status"), created.encode());
    return created;
  }

  static JsonObject cacheOn() {
    return new JsonObject().put("enabled", true);
  }

  /** A chat request the upstream will see. */
  static String chatBody(String content) {
    return new JsonObject().put("model", "gpt-4o-mini").put("temperature", 0)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", content))).encode();
  }

  /** POSTs {@code body} to the proxy on {@code port} with {@code apiKey} and extra header pairs. */
  HttpResponse<Buffer> post(int port, String path, String apiKey, String body, String... headers) {
    return await(postAsync(port, path, apiKey, body, headers));
  }

  Future<HttpResponse<Buffer>> postAsync(int port, String path, String apiKey, String body, String... headers) {
    HttpRequest<Buffer> request = client.post(port, "127.0.0.1", path).putHeader("content-type", "application/json");
    if (apiKey != null) {
      request.putHeader("Authorization", "Bearer " + apiKey);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return request.sendBuffer(Buffer.buffer(body));
  }

  HttpResponse<Buffer> chat(int port, String apiKey, String content, String... headers) {
    return post(port, CHAT, apiKey, chatBody(content), headers);
  }

  HttpResponse<Buffer> admin(HttpMethod method, String path, JsonObject body) {
    HttpRequest<Buffer> request = client.request(method, faultline.adminPort(), "127.0.0.1", path);
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  /** {@code GET /api/proxies/:id/cache}, expected to answer 200. */
  JsonObject cache(String proxyId) {
    return expect(admin(HttpMethod.GET, "/api/proxies/" + proxyId + "/cache", null), 200).bodyAsJsonObject();
  }

  /**
   * The cache listing once {@code settled} holds, or after 5 s. A caller can have a whole answer
   * (its content-length reached) a moment before the proxy sees the upstream's end, which is when
   * the cache counts and stores it; the assertions then run on whatever came last.
   */
  JsonObject cacheOnce(String proxyId, Predicate<JsonObject> settled) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    JsonObject cache = cache(proxyId);
    while (!settled.test(cache) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return cache;
      }
      cache = cache(proxyId);
    }
    return cache;
  }

  long entries(String proxyId) {
    return cache(proxyId).getLong("entries");
  }

  static String status(HttpResponse<Buffer> response) {
    return response.getHeader("X-Faultline-Cache");
  }
}
