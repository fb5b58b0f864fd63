package dev.faultline.cache;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.cache.CacheFixture.cacheOn;
import static dev.faultline.cache.CacheFixture.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mockserver.integration.ClientAndServer;
import org.mockserver.model.Delay;

/** Identical misses at the same moment make one upstream call, counted on a real upstream. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CoalescingTest {

  private static final int CALLERS = 50;

  @TempDir
  Path dataDir;

  private CacheFixture fixture;
  private ClientAndServer upstream;
  private WebClient pooled;

  @BeforeEach
  void start(Vertx vertx) {
    upstream = CacheFixture.mockUpstream();
    fixture = CacheFixture.start(vertx, dataDir);
    // One connection per caller, so all fifty are in flight at once.
    pooled = WebClient.create(vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(CALLERS));
  }

  @AfterEach
  void stop() {
    try {
      pooled.close();
      fixture.stop();
    } finally {
      upstream.stop();
    }
  }

  @Test
  void fiftyConcurrentIdenticalRequestsMakeOneUpstreamCall() {
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "application/json")
        .withBody("{\"id\":\"chatcmpl-slow\",\"object\":\"chat.completion\"}")
        .withDelay(Delay.milliseconds(800)));
    JsonObject proxy = fixture.proxy("openai", CacheFixture.url(upstream), cacheOn());
    int port = proxy.getInteger("port");

    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < CALLERS; i++) {
      calls.add(pooled.post(port, "127.0.0.1", CacheFixture.CHAT).putHeader("Authorization", "Bearer sk-a")
          .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(CacheFixture.chatBody("same"))));
    }
    await(Future.all(calls));

    Map<String, Integer> statuses = new TreeMap<>();
    for (Future<HttpResponse<Buffer>> call : calls) {
      HttpResponse<Buffer> answer = call.result();
      assertEquals(200, answer.statusCode(), answer.bodyAsString());
      assertEquals("{\"id\":\"chatcmpl-slow\",\"object\":\"chat.completion\"}", answer.bodyAsString());
      statuses.merge(status(answer), 1, Integer::sum);
    }
    assertEquals(1, upstream.retrieveRecordedRequests(request()).length, "one upstream call for " + CALLERS + " callers");
    assertEquals(Map.of("HIT", CALLERS - 1, "MISS", 1), statuses, "one caller led, the others were served from it");
  }

  @Test
  void whenTheLeaderGetsNothingStorableTheOthersTryAgainOneAtATime() {
    upstream.when(request()).respond(response().withStatusCode(503).withHeader("content-type", "application/json")
        .withBody("{\"error\":{\"message\":\"overloaded\"}}").withDelay(Delay.milliseconds(200)));
    JsonObject proxy = fixture.proxy("openai", CacheFixture.url(upstream), cacheOn());
    int port = proxy.getInteger("port");

    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(pooled.post(port, "127.0.0.1", CacheFixture.CHAT).putHeader("Authorization", "Bearer sk-a")
          .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(CacheFixture.chatBody("same"))));
    }
    await(Future.all(calls));

    for (Future<HttpResponse<Buffer>> call : calls) {
      assertEquals(503, call.result().statusCode(), "each caller gets the upstream's own answer");
      assertEquals("MISS", status(call.result()));
    }
    assertEquals(3, upstream.retrieveRecordedRequests(request()).length, "an error is never shared nor stored");
  }
}
