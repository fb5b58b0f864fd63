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
import io.vertx.core.Promise;
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
import java.util.concurrent.atomic.AtomicReferenceArray;
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
      Load load = new Load(http, port);
      List<Future<Void>> clients = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        clients.add(load.client(i));
      }

      for (int change = 0; change < CHANGES; change++) {
        load.awaitSamplesIn(load.phase.get());
        load.phase.incrementAndGet();
        putFaults(admin, faultline, proxy.getString("id"), change % 2 == 0
            ? faults(fault("http-error", 1, new JsonObject().put("status", 503))) : new JsonArray(), 200);
        load.phase.incrementAndGet();
      }
      load.awaitSamplesIn(load.phase.get());
      load.running.set(false);
      try {
        await(Future.all(clients));
      } catch (AssertionError e) {
        throw new AssertionError("clients did not finish (now in phase " + load.phase.get() + "): " + load.stages, e);
      }

      assertTrue(load.errors.isEmpty(), "requests failed: " + load.errors);
      assertTrue(connections.get() <= CLIENTS, connections.get() + " connections for " + CLIENTS
          + " kept-alive clients: some were dropped");
      for (int stable = 0; stable <= 2 * CHANGES; stable += 2) {
        int expected = stable / 2 % 2 == 1 ? 503 : 200;
        int in = stable;
        List<Sample> steady = load.samples.stream().filter(s -> s.sentIn() == in && s.answeredIn() == in).toList();
        assertTrue(steady.size() >= 3, "too few requests in phase " + in + " to judge: " + steady.size());
        assertTrue(steady.stream().allMatch(s -> s.status() == expected), "phase " + in + " expects " + expected
            + ": " + steady.stream().map(Sample::status).toList());
      }
    } finally {
      await(http.close());
      await(faultline.stop());
    }
  }

  /**
   * Clients sending request after request on their kept-alive connections until told to stop.
   * Each request starts from the previous one's callback, never as a future composed onto the
   * previous ones: thousands of nested futures would unwind on one stack at the end and overflow it.
   */
  private static final class Load {
    /** Even phases are stable (faults known), odd ones are a change in flight. */
    final AtomicInteger phase = new AtomicInteger();
    final AtomicBoolean running = new AtomicBoolean(true);
    final List<Sample> samples = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    /** Where each client is, so that one that never finishes says where it stopped. */
    final AtomicReferenceArray<String> stages = new AtomicReferenceArray<>(CLIENTS);
    private final HttpClient http;
    private final int port;

    Load(HttpClient http, int port) {
      this.http = http;
      this.port = port;
    }

    /** Waits (10 s at most) until requests sent in {@code phase} got as many answers as there are clients. */
    void awaitSamplesIn(int phase) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (samples.stream().filter(s -> s.sentIn() == phase).count() < CLIENTS) {
        if (!errors.isEmpty() || System.nanoTime() > deadline) {
          throw new AssertionError("phase " + phase + " did not see " + CLIENTS + " answers: " + stages
              + "; errors: " + errors);
        }
        Thread.sleep(5);
      }
    }

    Future<Void> client(int client) {
      Promise<Void> done = Promise.promise();
      next(client, done);
      return done.future();
    }

    private void next(int client, Promise<Void> done) {
      if (!running.get()) {
        stages.set(client, "done");
        done.complete();
        return;
      }
      int sentIn = phase.get();
      stages.set(client, "waiting for a connection in phase " + sentIn);
      // The connect timeout also bounds the wait for a pooled connection, the idle one the exchange.
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
          .setURI("/v1/chat/completions").addHeader("Authorization", "Bearer sk-test")
          .addHeader("content-type", "application/json").setConnectTimeout(REQUEST_IDLE_TIMEOUT_MS)
          .setIdleTimeout(REQUEST_IDLE_TIMEOUT_MS);
      http.request(options)
          .compose(request -> {
            stages.set(client, "sending a request in phase " + sentIn);
            return request.send(CHAT).compose(response -> {
              stages.set(client, "reading a " + response.statusCode() + " body in phase " + sentIn);
              return response.body().map(body -> {
                assertEquals(response.statusCode() == 200 ? "chat.completion" : null,
                    body.toJsonObject().getString("object"), body.toString());
                return new Sample(sentIn, phase.get(), response.statusCode());
              });
            });
          })
          .onSuccess(samples::add)
          .onFailure(error -> errors.add(new AssertionError("request sent in phase " + sentIn + " failed in phase "
              + phase.get() + ": " + error, error)))
          .onComplete(result -> next(client, done));
    }
  }
}
