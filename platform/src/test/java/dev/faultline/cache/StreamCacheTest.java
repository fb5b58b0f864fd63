package dev.faultline.cache;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static dev.faultline.cache.CacheFixture.cacheOn;
import static dev.faultline.cache.CacheFixture.status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streamed answers: stored as their server-sent events, replayed identical (fast or at the
 * original pace), and never stored when the stream broke or the caller left. Upstreams: the
 * mock provider's paced streams, and a real HTTP server on loopback that sends what each test needs.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamCacheTest {

  private static final String STREAM = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"temperature\":0,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"stream please\"}]}";

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private CacheFixture fixture;
  private HttpServer upstream;
  private final AtomicInteger upstreamCalls = new AtomicInteger();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    fixture = CacheFixture.start(vertx, dataDir);
  }

  @AfterEach
  void stop() {
    try {
      fixture.stop();
    } finally {
      if (upstream != null) {
        await(upstream.close());
      }
    }
  }

  @Test
  void aStreamIsReplayedEventForEventWithoutTheUpstream() {
    List<String> events = List.of("data: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n",
        "data: {\"id\":\"c1\",\"choices\":[{\"delta\":{\"content\":\"lo é 😀\"}}]}\r\n\r\n",
        ": a comment line\n\n",
        "data: [DONE]\n\n");
    serve((request, response) -> {
      response.setChunked(true).putHeader("content-type", "text/event-stream; charset=utf-8");
      // One event per write, a little apart, as a provider streams.
      write(response, events, 0, () -> response.end());
    });
    JsonObject proxy = fixture.proxy("openai", upstreamUrl(), cacheOn());
    int port = proxy.getInteger("port");

    HttpResponse<Buffer> miss = fixture.post(port, CacheFixture.CHAT, "sk-a", STREAM);
    HttpResponse<Buffer> hit = fixture.post(port, CacheFixture.CHAT, "sk-a", STREAM);

    assertEquals("MISS", status(miss));
    assertEquals("HIT", status(hit));
    assertEquals(String.join("", events), hit.bodyAsString(), "the replay holds every event, byte for byte");
    assertArrayEquals(miss.body().getBytes(), hit.body().getBytes());
    assertEquals("text/event-stream; charset=utf-8", hit.getHeader("content-type"));
    assertEquals(null, hit.getHeader("content-length"), "a replayed stream is chunked, as the original was");
    assertEquals(1, upstreamCalls.get());

    JsonObject item = fixture.cache(proxy.getString("id")).getJsonArray("items").getJsonObject(0);
    assertTrue(item.getBoolean("stream"), item.encode());
  }

  @Test
  void replayTimingKeepsTheOriginalGapsBetweenEvents() {
    // 5 pieces at 10 per second: the original stream spans about half a second.
    JsonObject proxy = fixture.proxy("mock", null, cacheOn().put("replay_timing", true));
    expect(fixture.admin(HttpMethod.PATCH, "/api/proxies/" + proxy.getString("id"), new JsonObject()
        .put("options", new JsonObject().put("tokens_per_second", 10).put("completion_tokens", 5))), 200);
    int port = proxy.getInteger("port");

    HttpResponse<Buffer> miss = fixture.post(port, CacheFixture.CHAT, "sk-a", STREAM);
    long started = System.nanoTime();
    HttpResponse<Buffer> hit = fixture.post(port, CacheFixture.CHAT, "sk-a", STREAM);
    long replayMillis = (System.nanoTime() - started) / 1_000_000;

    assertEquals("MISS", status(miss));
    assertEquals("HIT", status(hit));
    assertEquals(miss.bodyAsString(), hit.bodyAsString(), "the mock numbers its answers: a replay, not a new one");
    assertTrue(hit.bodyAsString().endsWith("data: [DONE]\n\n"), hit.bodyAsString());
    // The recorded timing, as the cassette shows it, and a replay that took at least that long.
    String cassette = expect(fixture.admin(HttpMethod.GET, "/api/proxies/" + proxy.getString("id") + "/cache/export",
        null), 200).bodyAsString();
    JsonObject entry = new JsonObject(cassette.split("\n")[1]);
    int events = entry.getJsonArray("events").size();
    long span = entry.getJsonArray("events").getJsonObject(events - 1).getLong("at_ms");
    assertTrue(events >= 7, "role, 5 pieces, finish and [DONE] events: " + entry.encode());
    assertTrue(span >= 350, "the mock's pacing was recorded: " + entry.encode());
    assertTrue(replayMillis >= span * 8 / 10, "replayed over " + replayMillis + " ms; recorded span " + span + " ms");
  }

  @Test
  void aBrokenStreamIsNeverStored() {
    serve((request, response) -> {
      response.setChunked(true).putHeader("content-type", "text/event-stream");
      write(response, List.of("data: {\"n\":1}\n\n", "data: {\"n\":2}\n\n"), 0, () -> response.reset());
    });
    JsonObject proxy = fixture.proxy("openai", upstreamUrl(), cacheOn());
    int port = proxy.getInteger("port");

    for (int attempt = 1; attempt <= 2; attempt++) {
      Future<HttpResponse<Buffer>> broken = fixture.postAsync(port, CacheFixture.CHAT, "sk-a", STREAM);
      assertTrue(await(broken.map(r -> false).otherwise(true)), "attempt " + attempt + ": the caller sees a broken body");
    }
    assertEquals(2, upstreamCalls.get(), "the second attempt went upstream again: nothing was stored");
    assertEquals(0, fixture.entries(proxy.getString("id")));
  }

  @Test
  void aStreamTheCallerLeftIsNeverStored() {
    JsonObject proxy = fixture.proxy("mock", null, cacheOn());
    expect(fixture.admin(HttpMethod.PATCH, "/api/proxies/" + proxy.getString("id"), new JsonObject()
        .put("options", new JsonObject().put("tokens_per_second", 20).put("completion_tokens", 10))), 200);
    int port = proxy.getInteger("port");

    HttpClient leaving = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    try {
      Future<Buffer> firstChunk = leaving.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
              .setPort(port).setURI(CacheFixture.CHAT).putHeader("content-type", "application/json")
              .putHeader("Authorization", "Bearer sk-a"))
          .compose(request -> request.send(STREAM)
              .compose(response -> Future.<Buffer>future(chunk -> response.handler(b -> {
                if (chunk.tryComplete(b)) {
                  response.request().connection().close();
                }
              }))));
      assertTrue(await(firstChunk).toString().startsWith("data: "), "the stream had begun");
    } finally {
      await(leaving.close());
    }

    HttpResponse<Buffer> whole = fixture.post(port, CacheFixture.CHAT, "sk-a", STREAM);
    assertEquals(200, whole.statusCode());
    assertEquals("MISS", status(whole), "the abandoned stream was not stored");
    assertEquals("HIT", status(fixture.post(port, CacheFixture.CHAT, "sk-a", STREAM)), "the whole one was");
  }

  @Test
  void aStreamAFaultTouchedIsNeverStored() {
    int port = fixture.proxy("mock", null, cacheOn()).getInteger("port");

    // The upstream's stream ends whole; the fault spoils an event on its way to the caller.
    HttpResponse<Buffer> corrupted = fixture.post(port, CacheFixture.CHAT, "sk-a", STREAM,
        "X-Faultline-Fault", "stream-corrupt");
    assertEquals(200, corrupted.statusCode(), corrupted.bodyAsString());
    assertEquals("stream-corrupt", corrupted.getHeader("X-Faultline-Fault"), corrupted.headers().toString());
    assertEquals("MISS", status(corrupted));

    HttpResponse<Buffer> clean = fixture.post(port, CacheFixture.CHAT, "sk-a", STREAM);
    assertEquals("MISS", status(clean), "what the fault touched was not stored");
    HttpResponse<Buffer> hit = fixture.post(port, CacheFixture.CHAT, "sk-a", STREAM);
    assertEquals("HIT", status(hit));
    assertEquals(clean.bodyAsString(), hit.bodyAsString());
  }

  // --- helpers -------------------------------------------------------------------------------

  /** What the loopback upstream does with each request. */
  private interface Upstream {
    void handle(HttpServerRequest request, HttpServerResponse response);
  }

  private void serve(Upstream handler) {
    upstream = await(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      upstreamCalls.incrementAndGet();
      handler.handle(request, request.response());
    })).listen(0, "127.0.0.1"));
  }

  private void write(HttpServerResponse response, List<String> events, int index, Runnable then) {
    if (index == events.size()) {
      then.run();
      return;
    }
    response.write(events.get(index));
    vertx.setTimer(20, id -> write(response, events, index + 1, then));
  }

  private String upstreamUrl() {
    return "http://127.0.0.1:" + upstream.actualPort();
  }
}
