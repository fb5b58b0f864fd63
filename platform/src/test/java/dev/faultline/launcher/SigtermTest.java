package dev.faultline.launcher;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.testing.FaultlineProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faultline as a real process (on the network transport it picks), stopped by SIGTERM while 20 keep-alive clients wait for slow
 * answers: each is answered whole and logged, and the process exits within the grace and its margin.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SigtermTest {

  private static final long GRACE_MS = 10_000;
  /** The grace, Faultline's own margins (1 s to close, 5 s to flush, 2 s for Vert.x) and room for a slow machine. */
  private static final long EXIT_WITHIN_MS = GRACE_MS + 8_000 + 5_000;

  @TempDir
  Path dir;

  @Test
  void sigtermLetsRequestsInFlightFinishThenExits(Vertx vertx) throws Exception {
    Path data = dir.resolve("data");
    try (FaultlineProcess faultline = FaultlineProcess.start(data,
        Map.of("FAULTLINE_SHUTDOWN_GRACE", String.valueOf(GRACE_MS / 1000)))) {
      HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(GracefulShutdownTest.CLIENTS));
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < GracefulShutdownTest.CLIENTS; i++) {
        answers.add(GracefulShutdownTest.slowChat(http, faultline.demoPort, 2_000));
      }
      GracefulShutdownTest.awaitInFlight(() -> new JsonArray(faultline.get("/api/proxies").body()).stream()
          .map(JsonObject.class::cast).filter(p -> p.getString("name").equals("demo")).findFirst().orElseThrow());

      Future<Integer> exit = vertx.executeBlocking(() -> faultline.terminate(EXIT_WITHIN_MS / 1000));
      for (Future<Integer> answer : answers) {
        assertEquals(200, await(answer), "a request in flight at SIGTERM is answered whole");
      }
      exit.await(EXIT_WITHIN_MS + 5_000, TimeUnit.MILLISECONDS);   // terminate fails past EXIT_WITHIN_MS
      assertEquals(GracefulShutdownTest.CLIENTS, GracefulShutdownTest.rows(data.resolve("faultline.db"),
          "status = 200 AND outcome = 'completed'"), "each request has its log row");
      assertTrue(faultline.fullOutput().contains("Network transport: " + NetworkTransport.chosen().name()),
          "served on the transport the launcher picks: " + faultline.output());
    }
  }
}
