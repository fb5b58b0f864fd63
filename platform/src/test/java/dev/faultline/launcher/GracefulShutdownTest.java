package dev.faultline.launcher;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.logs.LogTesting;
import dev.faultline.server.ConnectionTimeouts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Stopping Faultline lets the requests in flight finish and log, and ends within its bound whatever hangs. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GracefulShutdownTest {

  static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final int CLIENTS = 20;

  @TempDir
  Path dataDir;

  @Test
  void requestsInFlightFinishAndAreLoggedWhenFaultlineStops(Vertx vertx) throws Exception {
    Faultline faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir)
        .withMonitoring(LogTesting.monitoring(dataDir, null))
        .withTimeouts(new ConnectionTimeouts(60_000, 30_000, 10_000))));
    WebClient admin = FaultlineHarness.client(vertx);
    int port = LogTesting.proxy(admin, faultline, new JsonObject().put("name", "slow").put("provider", "mock"))
        .getInteger("port");
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(CLIENTS));
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      answers.add(slowChat(http, port, 1_500));
    }
    awaitInFlight(() -> await(admin.get(faultline.adminPort(), "127.0.0.1", "/api/proxies").send())
        .bodyAsJsonArray().getJsonObject(0));

    Future<Void> stopped = faultline.stop();
    for (Future<Integer> answer : answers) {
      assertEquals(200, await(answer), "a request in flight at shutdown is answered whole");
    }
    await(stopped);
    assertEquals(CLIENTS, rows(faultline.config().databaseFile(), "status = 200 AND outcome = 'completed'"),
        "each finished request has its log row");
  }

  @Test
  void stopEndsWithinItsBoundWhenARequestHangsForever(Vertx vertx) throws Exception {
    Faultline faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir)
        .withMonitoring(LogTesting.monitoring(dataDir, null))
        .withTimeouts(new ConnectionTimeouts(60_000, 30_000, 1_000))));
    WebClient admin = FaultlineHarness.client(vertx);
    int port = LogTesting.proxy(admin, faultline, new JsonObject().put("name", "hung").put("provider", "mock"))
        .getInteger("port");
    HttpClient http = vertx.createHttpClient();
    Future<Integer> hung = http.request(chat(port).putHeader("x-faultline-fault", "hang;seconds=0"))
        .compose(request -> request.send(Buffer.buffer(CHAT)).map(response -> response.statusCode()));
    Thread.sleep(300);

    try {
      faultline.stop().await(faultline.stopBoundMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("stop took longer than its bound of " + faultline.stopBoundMillis() + " ms", e);
    }
    await(hung.otherwise(-1));
    assertTrue(hung.failed(), "the hung request's connection was closed after the grace");
  }

  static RequestOptions chat(int port) {
    return new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI("/v1/chat/completions").putHeader("content-type", "application/json")
        .putHeader("authorization", "Bearer sk-test");
  }

  /** A chat request the proxy delays by {@code ms} before its upstream call; its status once read whole. */
  /** Waits (20 s at most) until the proxy {@code proxy} reads is answering all {@value #CLIENTS} requests. */
  static void awaitInFlight(Supplier<JsonObject> proxy) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    JsonObject seen = proxy.get();
    while (seen.getInteger("in_flight") < CLIENTS) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the " + CLIENTS + " requests never were all in flight: " + seen.encode());
      }
      Thread.sleep(20);
      seen = proxy.get();
    }
  }

  static Future<Integer> slowChat(HttpClient http, int port, long ms) {
    return http.request(chat(port).putHeader("x-faultline-fault", "latency;ms=" + ms))
        .compose(request -> request.send(Buffer.buffer(CHAT))
            .compose(response -> response.body().map(body -> response.statusCode())));
  }

  /** Rows of the log table matching {@code where}, read from the file directly (Faultline may be stopped). */
  static long rows(Path databaseFile, String where) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + databaseFile.toAbsolutePath());
         ResultSet result = connection.createStatement().executeQuery("SELECT count(*) FROM log_entries WHERE "
             + where)) {
      result.next();
      return result.getLong(1);
    }
  }
}
