package dev.faultline.cluster;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.store.PostgresServer;
import dev.faultline.testing.FaultlineProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of one node under load: node B is a real separate JVM (started as
 * {@code java -jar} starts it), A and C run in this JVM; all three share one PostgreSQL. While
 * callers keep sending through every node, B is killed: A and C answer every request, each of
 * their rows is stored, and B, started again, rejoins and serves the proxy again.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ClusterKillTest {

  private static final String SECRET = "cluster-kill-test-session-secret-0123456789";

  @TempDir
  Path dir;

  private final List<ClusterNodes.Node> nodes = new ArrayList<>();
  private FaultlineProcess b;
  private Vertx vertx;

  @AfterEach
  void stop() {
    if (b != null) {
      b.close();
    }
    await(Future.join(nodes.stream().map(ClusterNodes.Node::stop).toList()));
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void theOthersKeepServingAndWritingWhenANodeIsKilledAndItRejoinsWhenStarted() throws Exception {
    String url = PostgresServer.freshDatabase();
    ClusterNodes cluster = new ClusterNodes(dir.resolve("shared"), 3, url);
    // A and C in this JVM on 127.0.0.2 and .3; B, the one killed, a process on 127.0.0.1.
    nodes.add(await(cluster.start(1)));
    nodes.add(await(cluster.start(2)));
    b = startB(cluster, url);
    vertx = Vertx.vertx();
    WebClient client = FaultlineHarness.client(vertx);
    ClusterNodes.Node a = nodes.get(0);

    JsonObject proxy = expect(await(client.post(a.adminPort(), a.host(), "/api/proxies").sendJsonObject(
        new JsonObject().put("name", "survivor").put("provider", "mock")
            .put("options", new JsonObject().put("completion_tokens", 4)))), 201).bodyAsJsonObject();
    int port = proxy.getInteger("port");
    String id = proxy.getString("id");
    poll(() -> b.get("/api/proxies/" + id).body().contains("\"running\""), "the proxy runs on B");
    poll(() -> clusterSize(client, a) == 3, "three nodes");

    Load load = new Load(port);
    load.start();
    poll(() -> load.ok.get("127.0.0.1").get() >= 5 && load.ok.get("127.0.0.2").get() >= 5, "the load runs");
    b.kill();
    long killed = System.nanoTime();
    Thread.sleep(3_000);
    load.stop();

    assertEquals(0, load.failed.get("127.0.0.2").get() + load.failed.get("127.0.0.3").get(),
        "A and C answered every request while B was killed");
    int servedByA = load.ok.get("127.0.0.2").get();
    int servedByC = load.ok.get("127.0.0.3").get();
    assertTrue(servedByA > 0 && servedByC > 0, "A and C served during the run");
    poll(() -> rows(client, a, id, "node-a") == servedByA && rows(client, a, id, "node-c") == servedByC,
        "every row of A's and C's requests is stored");
    System.out.printf("cluster: B killed %d ms into the run; A served %d, C %d, B %d before it died%n",
        TimeUnit.NANOSECONDS.toMillis(killed - load.started), servedByA, servedByC, load.ok.get("127.0.0.1").get());

    poll(() -> clusterSize(client, a) == 2, "the others notice B is gone");
    b = startB(cluster, url);
    poll(() -> clusterSize(client, a) == 3, "B rejoins");
    assertEquals(200, chat(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), "127.0.0.1", port, "node-b"), "B serves the proxy again");
  }

  private static FaultlineProcess startB(ClusterNodes cluster, String url) {
    return FaultlineProcess.start(cluster.dataDir().resolveSibling("b-data"), Map.ofEntries(
        Map.entry("FAULTLINE_HOST", ClusterNodes.host(0)),
        Map.entry("FAULTLINE_DEMO_PORT", "off"),
        Map.entry("FAULTLINE_PROXY_PORTS", cluster.portFrom + "-" + cluster.portTo()),
        Map.entry("FAULTLINE_STORE_URL", url),
        Map.entry("FAULTLINE_SESSION_SECRET", SECRET),
        Map.entry("FAULTLINE_CLUSTER_ENABLED", "true"),
        Map.entry("FAULTLINE_CLUSTER_MEMBERS", String.join(",", cluster.members)),
        Map.entry("FAULTLINE_CLUSTER_HOST", "127.0.0.1"),
        Map.entry("FAULTLINE_CLUSTER_PORT", String.valueOf(cluster.hazelcastPorts.get(0)))));
  }

  private static int clusterSize(WebClient client, ClusterNodes.Node node) {
    return await(client.get(node.adminPort(), node.host(), "/api/cluster").send()).bodyAsJsonObject()
        .getJsonArray("nodes").size();
  }

  private static int rows(WebClient client, ClusterNodes.Node node, String proxyId, String model) {
    int count = 0;
    String cursor = null;
    do {
      HttpResponse<Buffer> page = expect(await(client.get(node.adminPort(), node.host(), "/api/logs?proxy=" + proxyId
          + "&model=" + model + "&limit=500" + (cursor == null ? "" : "&cursor=" + cursor)).send()), 200);
      JsonArray entries = page.bodyAsJsonObject().getJsonArray("entries");
      count += entries.size();
      cursor = page.bodyAsJsonObject().getString("next_cursor");
    } while (cursor != null);
    return count;
  }

  private static int chat(HttpClient http, String host, int port, String model) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/v1/chat/completions"))
          .header("Authorization", "Bearer sk-test").header("Content-Type", "application/json")
          .timeout(Duration.ofSeconds(5))
          .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\","
              + "\"content\":\"hi\"}]}")).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  /** Callers sending through every node, one thread per node, each request tagged with its node's model. */
  private static final class Load {
    final Map<String, AtomicInteger> ok = Map.of("127.0.0.1", new AtomicInteger(), "127.0.0.2", new AtomicInteger(),
        "127.0.0.3", new AtomicInteger());
    final Map<String, AtomicInteger> failed = Map.of("127.0.0.1", new AtomicInteger(), "127.0.0.2",
        new AtomicInteger(), "127.0.0.3", new AtomicInteger());
    private final Map<String, String> models = Map.of("127.0.0.1", "node-b", "127.0.0.2", "node-a", "127.0.0.3",
        "node-c");
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final int port;
    long started;

    Load(int port) {
      this.port = port;
    }

    void start() {
      started = System.nanoTime();
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      for (String host : models.keySet()) {
        Thread thread = new Thread(() -> {
          while (running.get()) {
            (chat(http, host, port, models.get(host)) == 200 ? ok : failed).get(host).incrementAndGet();
          }
        }, "load-" + host);
        thread.start();
        threads.add(thread);
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      for (Thread thread : threads) {
        thread.join(10_000);
      }
    }
  }

  private static void poll(BooleanSupplier done, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 60 s: " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
