package dev.faultline.faults;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.faults.FaultTests.CHAT;
import static dev.faultline.faults.FaultTests.chat;
import static dev.faultline.faults.FaultTests.fault;
import static dev.faultline.faults.FaultTests.faults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rate limiter's state through a real proxy: its 429 carries OpenAI's full set of headers; a PUT
 * of the proxy's faults starts the limiter afresh even when the list is unchanged, while any other
 * change to the proxy leaves a drained bucket drained. (Two requests a minute: a request comes back
 * only after 30 s, far beyond these tests.)
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RateLimitStateTest {

  private static final JsonArray TWO_PER_MINUTE = faults(fault("rate-limit", 1,
      new JsonObject().put("requests_per_minute", 2)));

  @TempDir
  Path dataDir;

  private Faultline faultline;
  private WebClient client;
  private JsonObject proxy;

  @BeforeEach
  void start(Vertx vertx) {
    faultline = await(FaultlineHarness.start(vertx, dataDir));
    client = FaultlineHarness.client(vertx);
    proxy = FaultTests.mockProxy(client, faultline, "limited", TWO_PER_MINUTE, null);
  }

  @AfterEach
  void stop() {
    await(faultline.stop());
  }

  @Test
  void a429CarriesAllSixCountersAndBothRetryHeaders() {
    HttpResponse<Buffer> passed = drain();
    for (String name : new String[] {"limit", "remaining", "reset"}) {
      for (String kind : new String[] {"requests", "tokens"}) {
        assertNotNull(passed.getHeader("x-ratelimit-" + name + "-" + kind), "a passed request lacks " + name + kind);
      }
    }
    HttpResponse<Buffer> refused = call();
    assertEquals(429, refused.statusCode(), refused.bodyAsString());
    assertEquals("2", refused.getHeader("x-ratelimit-limit-requests"));
    assertEquals("0", refused.getHeader("x-ratelimit-remaining-requests"));
    assertNotNull(refused.getHeader("x-ratelimit-reset-tokens"));
    long waitMs = Long.parseLong(refused.getHeader("retry-after-ms"));
    long waitSeconds = Long.parseLong(refused.getHeader("retry-after"));
    assertEquals((waitMs + 999) / 1000, waitSeconds, "retry-after is retry-after-ms in whole seconds, rounded up");
  }

  @Test
  void putTheSameFaultsAgainStartsTheLimiterAfresh() {
    drain();
    assertEquals(429, call().statusCode(), "drained");

    FaultTests.putFaults(client, faultline, proxy.getString("id"), TWO_PER_MINUTE, 200);

    assertEquals(200, call().statusCode(), "a PUT means these faults from now, with full buckets");
  }

  @Test
  void anyOtherChangeToTheProxyKeepsADrainedBucketDrained() {
    drain();
    assertEquals(429, call().statusCode(), "drained");

    FaultlineHarness.expect(await(client.patch(faultline.adminPort(), "127.0.0.1", "/api/proxies/"
        + proxy.getString("id")).sendJsonObject(new JsonObject().put("name", "renamed"))), 200);

    assertEquals(429, call().statusCode(), "renaming a proxy does not refill its limiter");
  }

  /** Uses both requests of the minute; returns the second answer. */
  private HttpResponse<Buffer> drain() {
    assertEquals(200, call().statusCode());
    HttpResponse<Buffer> second = call();
    assertEquals(200, second.statusCode(), second.bodyAsString());
    return second;
  }

  private HttpResponse<Buffer> call() {
    return chat(client, proxy.getInteger("port"), CHAT);
  }
}
