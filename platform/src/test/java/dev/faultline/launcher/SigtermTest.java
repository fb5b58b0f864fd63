package dev.faultline.launcher;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
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
 * Faultline as a real process, stopped by SIGTERM while 20 keep-alive clients wait for slow
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
    int adminPort = FaultlineHarness.freePort();
    int demoPort = FaultlineHarness.freePort();
    int proxyPorts = FaultlineHarness.freePort();
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName())
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("faultline.out").toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("FAULTLINE_"));
    env.put("FAULTLINE_ADMIN_PORT", String.valueOf(adminPort));
    env.put("FAULTLINE_DEMO_PORT", String.valueOf(demoPort));
    env.put("FAULTLINE_PROXY_PORTS", proxyPorts + "-" + Math.min(proxyPorts + 10, 65535));
    env.put("FAULTLINE_DATA_DIR", dir.resolve("data").toString());
    env.put("FAULTLINE_PLUGINS_DIR", FaultlineHarness.PLUGINS.toAbsolutePath().toString());
    env.put("FAULTLINE_SHUTDOWN_GRACE", String.valueOf(GRACE_MS / 1000));
    Process process = builder.start();
    try {
      WebClient client = FaultlineHarness.client(vertx);
      awaitUp(client, adminPort, process);
      HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(GracefulShutdownTest.CLIENTS));
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < GracefulShutdownTest.CLIENTS; i++) {
        answers.add(GracefulShutdownTest.slowChat(http, demoPort, 2_000));
      }
      Thread.sleep(700);

      process.destroy(); // SIGTERM
      for (Future<Integer> answer : answers) {
        assertEquals(200, await(answer), "a request in flight at SIGTERM is answered whole");
      }
      assertTrue(process.waitFor(EXIT_WITHIN_MS, TimeUnit.MILLISECONDS),
          "the process exits within " + EXIT_WITHIN_MS + " ms of SIGTERM");
      assertEquals(GracefulShutdownTest.CLIENTS, GracefulShutdownTest.rows(dir.resolve("data/faultline.db"),
          "status = 200 AND outcome = 'completed'"), "each request has its log row");
    } finally {
      process.destroyForcibly();
    }
  }

  private static void awaitUp(WebClient client, int adminPort, Process process) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("Faultline exited at start with " + process.exitValue());
      }
      Integer status = await(client.get(adminPort, "127.0.0.1", "/healthz").send().map(r -> r.statusCode())
          .otherwise(0));
      if (status == 200) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("Faultline did not come up within 60 s");
  }
}
