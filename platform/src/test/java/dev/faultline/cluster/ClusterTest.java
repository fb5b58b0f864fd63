package dev.faultline.cluster;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.testing.TcpBridgeClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three clustered nodes in this JVM on one PostgreSQL store (see {@link ClusterNodes}), started once
 * for the class (Hazelcast is slow to start): proxies, faults, limits, the cache and the live
 * log stream reach every node. Waits are bounded polls, never speed checks.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterTest {

  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir
  static Path dataDir;

  private static ClusterNodes cluster;
  private static List<ClusterNodes.Node> nodes;
  private static Vertx vertx;
  private static WebClient client;

  @BeforeAll
  static void startCluster() {
    cluster = new ClusterNodes(dataDir.resolve("data"), 3);
    nodes = cluster.startAll(3);
    vertx = Vertx.vertx();
    client = FaultlineHarness.client(vertx);
  }

  @AfterAll
  static void stopCluster() {
    if (nodes != null) {
      await(Future.join(nodes.stream().map(ClusterNodes.Node::stop).toList()));
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @Test
  void aProxyCreatedOnOneNodeAnswersOnTheOthersAndFollowsItsStopAndDelete() {
    JsonObject proxy = create(0, mock("everywhere"));
    int port = proxy.getInteger("port");
    for (ClusterNodes.Node node : nodes) {
      awaitStatus(node, port, 200, "proxy created on node 0 answers on node " + node.index());
    }
    expect(await(admin(2, HttpMethod.POST, "/api/proxies/" + proxy.getString("id") + "/stop", null)), 200);
    for (ClusterNodes.Node node : nodes) {
      awaitDown(node, port, "proxy stopped on node 2 is down on node " + node.index());
    }
    expect(await(admin(1, HttpMethod.POST, "/api/proxies/" + proxy.getString("id") + "/start", null)), 200);
    for (ClusterNodes.Node node : nodes) {
      awaitStatus(node, port, 200, "proxy started on node 1 answers on node " + node.index());
    }
    expect(await(admin(1, HttpMethod.DELETE, "/api/proxies/" + proxy.getString("id"), null)), 204);
    for (ClusterNodes.Node node : nodes) {
      awaitDown(node, port, "proxy deleted on node 1 is down on node " + node.index());
    }
  }

  /** A proxy moved on one node moves on every node: its new port answers everywhere, its old one nowhere. */
  @Test
  void aProxyMovedOnOneNodeMovesOnEveryNode() {
    JsonObject proxy = create(0, mock("moving"));
    int from = proxy.getInteger("port");
    int to = FaultlineHarness.freePort();
    awaitRunningEverywhere(proxy);
    expect(await(admin(1, HttpMethod.PATCH, "/api/proxies/" + proxy.getString("id"), new JsonObject().put("port", to))),
        200);
    for (ClusterNodes.Node node : nodes) {
      awaitStatus(node, to, 200, "moved on node 1, it answers on its new port on node " + node.index());
      awaitDown(node, from, "moved on node 1, its old port is closed on node " + node.index());
    }
  }

  /**
   * Two nodes asked for the same name at the same moment: the shared store's unique name lets one
   * through, and the other is answered 409 naming the winner, not a database error; every node
   * then runs the one proxy stored.
   */
  @Test
  void twoNodesCreatingTheSameNameAtOnceGiveOneProxyAndAClearRefusal() {
    for (int round = 0; round < 3; round++) {
      String name = "twin-" + round;
      List<HttpResponse<Buffer>> answers = await(Future.all(
          admin(0, HttpMethod.POST, "/api/proxies", mock(name)),
          admin(1, HttpMethod.POST, "/api/proxies", mock(name)))).list();
      List<HttpResponse<Buffer>> created = answers.stream().filter(a -> a.statusCode() == 201).toList();
      List<HttpResponse<Buffer>> refused = answers.stream().filter(a -> a.statusCode() == 409).toList();
      assertEquals(1, created.size(), name + ": " + answers.stream().map(HttpResponse::bodyAsString).toList());
      assertEquals(1, refused.size(), name + ": " + answers.stream().map(HttpResponse::bodyAsString).toList());
      JsonObject winner = created.get(0).bodyAsJsonObject();
      JsonObject error = refused.get(0).bodyAsJsonObject().getJsonObject("error");
      assertEquals("name", error.getString("field"), error.encode());
      assertTrue(error.getString("message").contains(winner.getString("id")), error.encode());
      awaitRunningEverywhere(winner);
      for (ClusterNodes.Node node : nodes) {
        long stored = expect(await(admin(node.index(), HttpMethod.GET, "/api/proxies", null)), 200).bodyAsJsonArray()
            .stream().filter(p -> name.equals(((JsonObject) p).getString("name"))).count();
        assertEquals(1, stored, "proxies named " + name + " listed by node " + node.index());
      }
    }
  }

  /**
   * A change stored while its announcement reached nobody (the nodes were cut off from each other
   * as it was made; here it is written to the shared store directly) is followed by every node all
   * the same, by its periodic check against the store.
   */
  @Test
  void aChangeWhoseAnnouncementNeverArrivedIsFollowedAllTheSame() {
    JsonObject proxy = create(0, mock("unannounced"));
    int port = proxy.getInteger("port");
    awaitRunningEverywhere(proxy);
    await(nodes.get(1).faultline().database().pool()
        .query("UPDATE proxies SET status = 'stopped' WHERE id = '" + proxy.getString("id") + "'").execute());
    for (ClusterNodes.Node node : nodes) {
      awaitDown(node, port, "a proxy stopped unannounced is down on node " + node.index());
    }
  }

  @Test
  void aFaultChangedOnOneNodeAppliesOnTheOthers() {
    JsonObject proxy = create(0, mock("faulted"));
    int port = proxy.getInteger("port");
    awaitRunningEverywhere(proxy);
    expect(await(admin(1, HttpMethod.PUT, "/api/proxies/" + proxy.getString("id") + "/faults",
        new JsonArray().add(fault("http-error", 1, new JsonObject().put("status", 503))))), 200);
    long set = System.nanoTime();
    awaitStatus(nodes.get(0), port, 503, "the fault set on node 1 applies on node 0");
    System.out.printf("cluster: a fault change reached another node in %d ms%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - set));
    awaitStatus(nodes.get(2), port, 503, "the fault set on node 1 applies on node 2");
  }

  /**
   * 60 a minute for the whole cluster: a token bucket holds a burst of 60, then refills one a
   * second. 90 requests spread over the three nodes in a few seconds: at least 60 and at most
   * 60 plus one per second the run took (+1 for the second it started in) pass; each node alone
   * would have passed all 90.
   */
  @Test
  void aRateLimitCountsTheWholeClustersRequests() {
    JsonObject proxy = create(0, mock("limited").put("faults", new JsonArray()
        .add(fault("rate-limit", 1, new JsonObject().put("requests_per_minute", 60)))));
    awaitRunningEverywhere(proxy);
    int port = proxy.getInteger("port");
    long started = System.nanoTime();
    int passed = 0;
    int limited = 0;
    for (int i = 0; i < 90; i++) {
      int status = chat(nodes.get(i % 3), port).statusCode();
      if (status == 200) {
        passed++;
      } else if (status == 429) {
        limited++;
      } else {
        throw new AssertionError("request " + i + ": expected 200 or 429, got " + status);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long most = 60 + (long) Math.ceil(seconds) + 1;
    assertTrue(passed >= 60 && passed <= most, passed + " passed, " + limited + " limited in " + seconds
        + " s; expected 60.." + most);
  }

  @Test
  void nextRequestsCountsTheWholeClustersRequests() {
    JsonObject proxy = create(0, mock("next-six").put("faults", new JsonArray()
        .add(fault("http-error", 1, new JsonObject().put("status", 503))
            .put("schedule", new JsonObject().put("next_requests", 6)))));
    awaitRunningEverywhere(proxy);
    int failed = 0;
    for (int i = 0; i < 12; i++) {
      if (chat(nodes.get(i % 3), proxy.getInteger("port")).statusCode() == 503) {
        failed++;
      }
    }
    assertEquals(6, failed, "the next 6 of the cluster's requests fail, not 6 per node");
  }

  @Test
  void anEntryCachedThroughOneNodeIsAHitThroughAnotherUntilClearedAnywhere() {
    JsonObject proxy = create(0, mock("cached").put("cache", new JsonObject().put("enabled", true)));
    awaitRunningEverywhere(proxy);
    int port = proxy.getInteger("port");
    String id = proxy.getString("id");
    assertEquals("MISS", chat(nodes.get(0), port).getHeader("X-Faultline-Cache"));
    // Node 0 writes its entries to the shared store in batches: wait until the store has it.
    poll(() -> await(admin(2, HttpMethod.GET, "/api/proxies/" + id + "/cache", null)).bodyAsJsonObject()
        .getLong("entries") == 1, "the entry reaches the shared store");
    assertEquals("HIT", chat(nodes.get(2), port).getHeader("X-Faultline-Cache"), "cached via node 0, hit via node 2");
    // Node 2 now holds it in memory too: a clear on node 1 must reach that front.
    expect(await(admin(1, HttpMethod.DELETE, "/api/proxies/" + id + "/cache", null)), 200);
    poll(() -> "MISS".equals(chat(nodes.get(2), port).getHeader("X-Faultline-Cache")),
        "the clear on node 1 empties node 2's memory front");
  }

  @Test
  void theLiveStreamOnOneNodeShowsTrafficSentToAnotherAndEachRowIsWrittenOnce() throws InterruptedException {
    JsonObject proxy = create(0, mock("watched"));
    awaitRunningEverywhere(proxy);
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    HttpClient http = vertx.createHttpClient();
    ClusterNodes.Node watcher = nodes.get(2);
    await(http.request(HttpMethod.GET, watcher.adminPort(), watcher.host(), "/api/logs/stream?proxy="
            + proxy.getString("id"))
        .compose(request -> request.putHeader("Authorization", FaultlineHarness.adminAuthorization()).send()
            .map(response -> {
              response.handler(RecordParser.newDelimited("\n\n", event -> events.add(event.toString())));
              return response;
            })));
    String opening = events.poll(20, TimeUnit.SECONDS);
    assertTrue(opening != null && opening.startsWith(":"), "a comment opens the stream, got " + opening);
    assertEquals(200, chat(nodes.get(0), proxy.getInteger("port")).statusCode());
    String event = events.poll(10, TimeUnit.SECONDS);
    assertNotNull(event, "node 2's stream shows the request node 0 served");
    JsonObject entry = new JsonObject(event.substring("data: ".length()));
    assertEquals(proxy.getString("id"), entry.getString("proxy_id"));

    assertEquals(200, chat(nodes.get(1), proxy.getInteger("port")).statusCode());
    assertEquals(200, chat(nodes.get(2), proxy.getInteger("port")).statusCode());
    poll(() -> rows(proxy) >= 3, "three rows written");
    sleep(1_500);
    assertEquals(3, rows(proxy), "each node writes its own rows once: no duplicates");
  }

  /**
   * The windows are the cluster's: requests served by node 0 count on node 2's {@code /api/metrics};
   * Prometheus is per node: node 0's {@code /metrics} counts them, node 2's does not.
   */
  @Test
  void theTcpBridgeOfOneNodeCarriesTrafficSentToAnother() throws InterruptedException {
    JsonObject proxy = create(0, mock("bridged"));
    awaitRunningEverywhere(proxy);
    BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    NetSocket socket = TcpBridgeClient.connect(vertx, "127.0.0.3", cluster.bridgePorts.get(2), frames::add);
    TcpBridgeClient.send(socket, new JsonObject().put("type", "register").put("address", "faultline.log")
        .put("headers", new JsonObject().put("authorization", FaultlineHarness.adminAuthorization())));
    JsonObject entry = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (entry == null && System.nanoTime() < deadline) {
      // A registration is in place once its token is checked: requests until one is heard.
      assertEquals(200, chat(nodes.get(0), proxy.getInteger("port")).statusCode());
      JsonObject frame = frames.poll(1, TimeUnit.SECONDS);
      if (frame != null && "faultline.log".equals(frame.getString("address"))
          && proxy.getString("id").equals(frame.getJsonObject("body").getString("proxy_id"))) {
        entry = frame.getJsonObject("body");
      }
    }
    socket.close();
    assertNotNull(entry, "node 2's TCP bridge carries the entry of a request node 0 served");
  }

  @Test
  void metricsAreTheClustersAndPrometheusSeriesEachNodesOwn() {
    JsonObject proxy = create(0, mock("measured"));
    awaitRunningEverywhere(proxy);
    String id = proxy.getString("id");
    for (int i = 0; i < 4; i++) {
      assertEquals(200, chat(nodes.get(0), proxy.getInteger("port")).statusCode());
    }
    poll(() -> expect(await(admin(2, HttpMethod.GET, "/api/metrics?window=15m&proxy=" + id, null)), 200)
        .bodyAsJsonObject().getLong("requests") == 4, "node 2's windows count node 0's four requests");
    String served = "faultline_requests_total{node=";
    poll(() -> prometheus(0).lines().anyMatch(line -> line.startsWith(served) && line.contains("proxy=\"" + id + "\"")
        && line.contains("status=\"200\"") && line.endsWith(" 4.0")), "node 0's own series count its four");
    assertTrue(prometheus(2).lines().noneMatch(line -> line.startsWith(served) && line.contains("proxy=\"" + id + "\"")),
        "node 2 served none of them: no series of its own for them");
  }

  @Test
  void everyNodeListsTheWholeCluster() {
    JsonObject cluster = expect(await(admin(1, HttpMethod.GET, "/api/cluster", null)), 200).bodyAsJsonObject();
    assertEquals(true, cluster.getBoolean("clustered"));
    JsonArray listed = cluster.getJsonArray("nodes");
    assertEquals(3, listed.size(), cluster.encodePrettily());
    for (int i = 0; i < listed.size(); i++) {
      JsonObject node = listed.getJsonObject(i);
      assertEquals("ok", node.getString("health"), node.encode());
      assertNotNull(node.getString("version"));
      assertTrue(node.getString("address").matches("127\\.0\\.0\\.[123]:\\d+"), node.encode());
    }
    assertEquals(cluster.getString("node_id"), listed.getJsonObject(0).getString("id"), "the node asked comes first");
  }

  @Test
  void aNodeOfAnotherVersionIsRefusedAndTheClusterCarriesOn() {
    ClusterSettings settings = new ClusterSettings(true, cluster.members, FaultlineHarness.freePort(), "127.0.0.1",
        null, 0);
    Throwable refused = assertThrows(Throwable.class, () -> await(ClusterNode.join(
        Vertx.builder().with(ClusterNode.options(settings)), settings, "faultline 0.0, plugin-api 0.0")));
    Throwable cause = refused instanceof ClusterNode.IncompatibleNodeException ? refused : refused.getCause();
    assertTrue(cause instanceof ClusterNode.IncompatibleNodeException, String.valueOf(refused));
    assertTrue(cause.getMessage().contains("faultline 0.0, plugin-api 0.0")
        && cause.getMessage().contains(Compatibility.current()), cause.getMessage());
    poll(() -> await(admin(0, HttpMethod.GET, "/api/cluster", null)).bodyAsJsonObject().getJsonArray("nodes")
        .size() == 3, "the refused node left: three nodes again");
  }

  @Test
  void aClusteredNodeRefusesTheEmbeddedSqliteStore() {
    Throwable refused = assertThrows(Throwable.class, () -> await(dev.faultline.launcher.Faultline.start(
        nodes.get(0).vertx(), cluster.config(0).withStore(dev.faultline.launcher.FaultlineConfig.Store.embedded())
            .withDataDir(dataDir.resolve("sqlite")))));
    assertTrue(String.valueOf(refused.getMessage()).contains("SQLite is a file on one machine"), String.valueOf(refused));
  }

  // --- helpers

  private static JsonObject mock(String name) {
    return new JsonObject().put("name", name).put("provider", "mock")
        .put("options", new JsonObject().put("completion_tokens", 8));
  }

  private static JsonObject fault(String strategy, double rate, JsonObject params) {
    return new JsonObject().put("strategy", strategy).put("rate", rate).put("params", params);
  }

  private static JsonObject create(int node, JsonObject body) {
    return expect(await(admin(node, HttpMethod.POST, "/api/proxies", body)), 201).bodyAsJsonObject();
  }

  private static Future<HttpResponse<Buffer>> admin(int node, HttpMethod method, String path, Object body) {
    ClusterNodes.Node target = nodes.get(node);
    var request = client.request(method, target.adminPort(), target.host(), path);
    if (body == null) {
      return request.send();
    }
    return request.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(
        body instanceof JsonArray array ? array.encode() : ((JsonObject) body).encode()));
  }

  private static HttpResponse<Buffer> chat(ClusterNodes.Node node, int port) {
    return await(client.post(port, node.host(), "/v1/chat/completions")
        .putHeader("Authorization", "Bearer sk-test").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(CHAT)));
  }

  private static String prometheus(int node) {
    return expect(await(admin(node, HttpMethod.GET, "/metrics", null)), 200).bodyAsString();
  }

  private static int rows(JsonObject proxy) {
    return expect(await(admin(1, HttpMethod.GET, "/api/logs?proxy=" + proxy.getString("id") + "&limit=100", null)),
        200).bodyAsJsonObject().getJsonArray("entries").size();
  }

  /** Every node's API says the proxy runs there (so no request is spent finding out); a failure shows what it said. */
  private static void awaitRunningEverywhere(JsonObject proxy) {
    for (ClusterNodes.Node node : nodes) {
      JsonObject[] seen = new JsonObject[1];
      poll(() -> "running".equals((seen[0] = await(admin(node.index(), HttpMethod.GET,
              "/api/proxies/" + proxy.getString("id"), null)).bodyAsJsonObject()).getString("status")),
          () -> "proxy runs on node " + node.index() + "; it said " + seen[0].encode());
    }
  }

  private static void awaitStatus(ClusterNodes.Node node, int port, int status, String what) {
    poll(() -> {
      try {
        return chat(node, port).statusCode() == status;
      } catch (Exception | AssertionError notYet) {
        return false;
      }
    }, what);
  }

  private static void awaitDown(ClusterNodes.Node node, int port, String what) {
    poll(() -> {
      try {
        chat(node, port);
        return false;
      } catch (Exception | AssertionError refused) {
        return true;
      }
    }, what);
  }

  /**
   * Until {@code done} holds; fails naming {@code what} after 30 s (a bound, not a speed check: a
   * missed announcement is made up for by a check every {@code StoreFollower.CHECK_SECONDS}).
   */
  private static void poll(java.util.function.BooleanSupplier done, String what) {
    poll(done, () -> what);
  }

  private static void poll(java.util.function.BooleanSupplier done, java.util.function.Supplier<String> what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what.get());
      }
      sleep(50);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
