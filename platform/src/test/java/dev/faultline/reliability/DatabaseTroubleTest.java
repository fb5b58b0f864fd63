package dev.faultline.reliability;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import dev.faultline.logs.LogTesting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database in trouble while proxies serve: the disk fills up, another program locks the
 * file. Proxying goes on at full speed, {@code /healthz}
 * says {@code degraded}, what could not be written is counted, and once the trouble ends the
 * writers recover by themselves.
 *
 * <p>The disk is a real size-limited tmpfs mounted for the test, which takes root: elsewhere the
 * test is skipped with a message, and under CI (which runs as root) it must run. A file system
 * turning read-only under an open database cannot be staged here (Linux refuses to remount a
 * busy file system read-only, and root ignores file modes); its writes fail the way a full
 * disk's do, through the same path.
 */
@ExtendWith(VertxExtension.class)
@EnabledOnOs(OS.LINUX)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DatabaseTroubleTest {

  @TempDir
  Path dir;

  private Path mounted;
  private Faultline faultline;

  @AfterEach
  void cleanUp() throws Exception {
    if (faultline != null) {
      await(faultline.stop());
    }
    if (mounted != null) {
      run("umount", mounted.toString());
    }
  }

  @Test
  void aFullDiskIsReportedAndProxyingGoesOn(Vertx vertx) throws Exception {
    Path data = tmpfs("8m");
    WebClient client = start(vertx, data);
    int port = proxy(client);
    assertAllAnswered(vertx, client, port, 20, "before");
    awaitHealth(client, "ok");

    Path filler = data.resolve("filler");
    fill(filler);
    // The first write to fail makes the writer "failing"; from then on nobody is held.
    assertAllAnswered(vertx, client, port, 1, "as the disk fills");
    awaitHealth(client, health -> "failing".equals(health.getJsonObject("logs").getString("writer")));
    assertAllAnswered(vertx, client, port, 200, "while the disk is full");
    // The writer gives up on what it cannot write, and counts it; holding callers (the queue of 50
    // is long full) cannot help a writer the disk refuses, so nobody is held.
    JsonObject degraded = awaitHealth(client, health -> health.getJsonObject("logs").getLong("failed") > 0);
    JsonObject logs = degraded.getJsonObject("logs");
    assertEquals("degraded", degraded.getString("status"), degraded.encode());
    assertEquals("failing", logs.getString("writer"), degraded.encode());
    assertEquals(0, logs.getLong("holds"), degraded.encode());
    assertEquals("failing", degraded.getJsonObject("cache").getString("database"), "answers the cache could not store: "
        + degraded.encode());

    Files.delete(filler);
    JsonObject recovered = awaitRecovery(vertx, client, port);
    assertNothingUncounted(recovered);
  }

  @Test
  void aDatabaseLockedByAnotherProgramIsReportedAndProxyingGoesOn(Vertx vertx) throws Exception {
    WebClient client = start(vertx, dir.resolve("data"));
    int port = proxy(client);
    assertAllAnswered(vertx, client, port, 20, "before");

    try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + faultline.database().file())) {
      other.createStatement().execute("BEGIN EXCLUSIVE");
      other.createStatement().execute("INSERT INTO metrics_snapshots (scope, saved_at, data) VALUES ('lock', 0, '{}')");
      assertAllAnswered(vertx, client, port, 100, "while another program holds the write lock");
      // First the writer waits out the lock (lagging), then its writes fail (failing).
      JsonObject degraded = awaitHealth(client, "degraded");
      assertNotEquals("ok", degraded.getJsonObject("logs").getString("writer"), degraded.encode());
      other.createStatement().execute("ROLLBACK");
    }
    JsonObject recovered = awaitRecovery(vertx, client, port);
    assertNothingUncounted(recovered);
  }

  /** A log queue of 50: the full disk's test fills it, and the proxies must not be held for it. */
  private WebClient start(Vertx vertx, Path data) {
    FaultlineConfig.Monitoring monitoring = LogTesting.monitoring(dir, null);
    faultline = await(Faultline.start(vertx, FaultlineHarness.config(data).withMonitoring(new FaultlineConfig.Monitoring(
        monitoring.logRetentionDays(), monitoring.logRetentionRows(), 50, null, monitoring.pricesFile()))));
    return FaultlineHarness.client(vertx);
  }

  private int proxy(WebClient client) {
    return LogTesting.proxy(client, faultline, new JsonObject().put("name", "steady").put("provider", "mock")
        .put("port", FaultlineHarness.freePort()).put("cache", new JsonObject().put("enabled", true))
        .put("logging", new JsonObject().put("bodies", true))).getInteger("port");
  }

  /** {@code count} requests, ten at a time, every one answered 200 (cache misses and hits mixed). */
  private static void assertAllAnswered(Vertx vertx, WebClient client, int port, int count, String when) {
    for (int start = 0; start < count; start += 10) {
      List<Future<Integer>> batch = new ArrayList<>();
      for (int i = start; i < Math.min(count, start + 10); i++) {
        String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + when + " " + i % 30
            + "\"}]}";
        batch.add(client.post(port, "127.0.0.1", "/v1/chat/completions").putHeader("content-type", "application/json")
            .putHeader("authorization", "Bearer sk-test").sendBuffer(Buffer.buffer(body))
            .map(response -> response.statusCode()));
      }
      for (Future<Integer> answer : batch) {
        assertEquals(200, await(answer), "a request " + when);
      }
    }
  }

  /** New answers keep coming until both writers have written again and /healthz says ok. */
  private JsonObject awaitRecovery(Vertx vertx, WebClient client, int port) {
    int[] round = {0};
    return awaitHealth(client, health -> {
      assertAllAnswered(vertx, client, port, 10, "after, round " + round[0]++);
      return "ok".equals(health.getString("status"));
    });
  }

  private JsonObject awaitHealth(WebClient client, String status) {
    return awaitHealth(client, health -> status.equals(health.getString("status")));
  }

  private JsonObject awaitHealth(WebClient client, Predicate<JsonObject> condition) {
    JsonObject[] last = {null};
    LogTesting.eventually("/healthz to show the expected state", () -> {
      last[0] = await(client.get(faultline.adminPort(), "127.0.0.1", "/healthz").send()).bodyAsJsonObject();
      return condition.test(last[0]);
    }, () -> last[0] == null ? "no answer" : last[0].encodePrettily());
    return last[0];
  }

  /** Every entry the log received was written, or counted as failed or dropped. */
  private static void assertNothingUncounted(JsonObject health) {
    JsonObject logs = health.getJsonObject("logs");
    assertEquals(logs.getLong("received"), logs.getLong("written") + logs.getLong("failed") + logs.getLong("dropped")
        + logs.getLong("pending"), logs.encode());
  }

  /** Writes zeros until the file system says it is full. */
  private static void fill(Path file) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException full) {
      assertTrue(String.valueOf(full.getMessage()).contains("No space left"), full.toString());
    }
  }

  /** A fresh tmpfs of {@code size}, or the test is skipped (no root) — except under CI. */
  private Path tmpfs(String size) throws Exception {
    Path point = Files.createDirectories(dir.resolve("disk"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", point.toString())
        .redirectErrorStream(true).start();
    String output = new String(mount.getInputStream().readAllBytes());
    if (mount.waitFor() != 0) {
      if (System.getenv("CI") != null) {
        fail("CI runs as root and must be able to mount a tmpfs: " + output);
      }
      Assumptions.abort("mounting a small tmpfs needs root: " + output.trim());
    }
    mounted = point;
    return point.resolve("data");
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
  }
}
