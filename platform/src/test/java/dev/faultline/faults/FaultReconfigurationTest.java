package dev.faultline.faults;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.faults.FaultTests.CHAT;
import static dev.faultline.faults.FaultTests.fault;
import static dev.faultline.faults.FaultTests.faults;
import static dev.faultline.faults.FaultTests.putFaults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults changed through the admin API while clients keep kept-alive connections busy: every
 * request sent after a change completes sees the new faults, and no connection is dropped or
 * reopened on the way.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultReconfigurationTest {

  private static final int CLIENTS = 4;
  private static final int CHANGES = 4;
  private static final int MAX_REQUESTS = 20_000;
  /** A request that hangs becomes a recorded error well before the await of all clients times out. */
  private static final long REQUEST_IDLE_TIMEOUT_MS = 5_000;

  @TempDir
  Path dataDir;

  /** A response: the configuration phase when it was sent and when it came back, and its status. */
  private record Sample(int sentIn, int answeredIn, int status) {
  }

  @Test
  void changesApplyToTheNextRequestWithoutDroppingConnections(Vertx vertx) throws InterruptedException {
    Faultline faultline = await(FaultlineHarness.start(vertx, dataDir));
    WebClient admin = FaultlineHarness.client(vertx);
    AtomicInteger connections = new AtomicInteger();
    HttpClient http = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true))
        .with(new PoolOptions().setHttp1MaxSize(CLIENTS))
        .withConnectHandler(connection -> connections.incrementAndGet())
        .build();
    try {
      JsonObject proxy = FaultTests.mockProxy(admin, faultline, "reconfigured", new JsonArray(), null);
      int port = proxy.getInteger("port");
      // Even phases are stable (faults known), odd ones are a change in flight.
      AtomicInteger phase = new AtomicInteger();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicInteger sent = new AtomicInteger();
      List<Sample> samples = new CopyOnWriteArrayList<>();
      List<Throwable> errors = new CopyOnWriteArrayList<>();
      List<Future<Void>> clients = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        clients.add(loop(http, port, phase, running, sent, samples, errors));
      }

      for (int change = 0; change < CHANGES; change++) {
        Thread.sleep(250);
        phase.incrementAndGet();
        putFaults(admin, faultline, proxy.getString("id"), change % 2 == 0
            ? faults(fault("http-error", 1, new JsonObject().put("status", 503))) : new JsonArray(), 200);
        phase.incrementAndGet();
      }
      Thread.sleep(250);
      running.set(false);
      await(Future.all(clients));

      assertTrue(errors.isEmpty(), "requests failed: " + errors);
      assertTrue(connections.get() <= CLIENTS, connections.get() + " connections for " + CLIENTS
          + " kept-alive clients: some were dropped");
      for (int stable = 0; stable <= 2 * CHANGES; stable += 2) {
        int expected = stable / 2 % 2 == 1 ? 503 : 200;
        int in = stable;
        List<Sample> steady = samples.stream().filter(s -> s.sentIn() == in && s.answeredIn() == in).toList();
        assertTrue(steady.size() >= 3, "too few requests in phase " + in + " to judge: " + steady.size());
        assertTrue(steady.stream().allMatch(s -> s.status() == expected), "phase " + in + " expects " + expected
            + ": " + steady.stream().map(Sample::status).toList());
      }
    } finally {
      await(http.close());
      await(faultline.stop());
    }
  }

  /** One client: request after request on its connection until told to stop. */
  private static Future<Void> loop(HttpClient http, int port, AtomicInteger phase, AtomicBoolean running,
                                   AtomicInteger sent, List<Sample> samples, List<Throwable> errors) {
    if (!running.get() || sent.incrementAndGet() > MAX_REQUESTS) {
      return Future.succeededFuture();
    }
    int sentIn = phase.get();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI("/v1/chat/completions").addHeader("Authorization", "Bearer sk-test")
        .addHeader("content-type", "application/json").setIdleTimeout(REQUEST_IDLE_TIMEOUT_MS);
    return http.request(options)
        .compose(request -> request.send(CHAT))
        .compose(response -> response.body().map(body -> {
          assertEquals(response.statusCode() == 200 ? "chat.completion" : null,
              body.toJsonObject().getString("object"), body.toString());
          samples.add(new Sample(sentIn, phase.get(), response.statusCode()));
          return (Void) null;
        }))
        .otherwise(error -> {
          errors.add(new AssertionError("request sent in phase " + sentIn + " failed in phase " + phase.get()
              + ": " + error, error));
          return null;
        })
        .compose(v -> loop(http, port, phase, running, sent, samples, errors));
  }
}
