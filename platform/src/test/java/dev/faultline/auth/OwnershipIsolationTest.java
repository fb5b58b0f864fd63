package dev.faultline.auth;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.logs.LogTesting;
import dev.faultline.testing.TcpBridgeClient;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user sees only their own, everywhere: the admin A (the harness's first admin) and a second,
 * verified user B each own a proxy with some traffic, and B tries every route of the admin server
 * against A's things. The routes come from the server's own route table: a route this test does
 * not know how to try fails it, so a route added later cannot be forgotten. Only the few routes
 * that show nothing of anyone else (signing in, one's own account, what is the same for everyone)
 * are listed as such.
 *
 * <p>B is made through the real API (register, sign in, create an API token); only the click on
 * the verification link is replaced by marking the account verified in the database
 * ({@link Users#setVerified}), the one step that needs the mail.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OwnershipIsolationTest {

  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String B_EMAIL = "b@faultline.test";
  private static final String B_PASSWORD = "another-long-passphrase-42";
  private static final String MISSING = "prx_doesnotexist";
  private static final int A_CALLS = 3;
  private static final int B_CALLS = 2;

  /** Routes that show nobody's resources: signing in, the caller's own account, or the same for all. */
  private static final Set<String> PUBLIC_OR_SELF = Set.of(
      "GET /healthz", "GET /api/openapi.json", "GET /api/plugins", "GET /api/faults/strategies",
      // The nodes of the cluster: their addresses, versions and health, nobody's proxies or traffic.
      "GET /api/cluster",
      "GET /api/auth/config", "POST /api/auth/setup", "POST /api/auth/register", "POST /api/auth/login",
      "POST /api/auth/logout", "POST /api/auth/verify", "POST /api/auth/verify/resend", "POST /api/auth/reset",
      "POST /api/auth/reset/confirm", "GET /api/auth/me", "POST /api/auth/password",
      // Make the caller's own (tried below: B's proxy and token are made through them).
      "POST /api/proxies", "POST /api/tokens");
  /** Social sign-in: the flows that lead to a session, reached before one. */
  private static final String OAUTH = "/api/auth/oauth/";
  /** Handlers for every method in front of the routes (guard, gate, body reading, proxy access). */
  private static final Set<String> IN_FRONT = Set.of("/api/", "/metrics", "/eventbus/", "/api/proxies/:id",
      "/api/proxies/:id/");

  @TempDir
  static Path dataDir;

  private Vertx vertx;
  private Faultline faultline;
  private int tcpPort;
  private WebClient web;
  private String aUser;
  private String aProxy;
  private int aPort;
  private String bUser;
  private String bProxy;
  private int bPort;
  private String bToken;
  private String bAuthorization;

  @BeforeAll
  void start(Vertx vertx) {
    this.vertx = vertx;
    tcpPort = FaultlineHarness.freePort();
    faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir)
        .withMonitoring(LogTesting.monitoring(dataDir, tcpPort))));
    web = FaultlineHarness.anonymous(vertx);
    String admin = FaultlineHarness.adminAuthorization();
    aUser = ok(call(HttpMethod.GET, "/api/auth/me", admin, null), 200).getString("id");

    // B: registers, is verified (the mail's link), signs in, makes an API token.
    JsonObject registered = ok(call(HttpMethod.POST, "/api/auth/register", null,
        new JsonObject().put("email", B_EMAIL).put("password", B_PASSWORD)), 201);
    bUser = registered.getJsonObject("user").getString("id");
    await(new Users(faultline.database(), user -> { }).setVerified(bUser));
    String session = ok(call(HttpMethod.POST, "/api/auth/login", null,
        new JsonObject().put("email", B_EMAIL).put("password", B_PASSWORD)), 200).getString("token");
    bToken = ok(call(HttpMethod.POST, "/api/tokens", "Bearer " + session, new JsonObject().put("name", "isolation")),
        201).getString("token");
    bAuthorization = "Bearer " + bToken;

    JsonObject a = ok(call(HttpMethod.POST, "/api/proxies", admin, new JsonObject().put("name", "a-proxy")
        .put("provider", "mock").put("cache", new JsonObject().put("enabled", true))), 201);
    aProxy = a.getString("id");
    aPort = a.getInteger("port");
    JsonObject b = ok(call(HttpMethod.POST, "/api/proxies", bAuthorization,
        new JsonObject().put("name", "b-proxy").put("provider", "mock")), 201);
    bProxy = b.getString("id");
    bPort = b.getInteger("port");
    for (int i = 0; i < A_CALLS; i++) {
      chat(aPort);
    }
    for (int i = 0; i < B_CALLS; i++) {
      chat(bPort);
    }
    LogTesting.awaitEntries(FaultlineHarness.client(vertx), faultline, "", A_CALLS + B_CALLS);
  }

  @AfterAll
  void stop() {
    await(faultline.stop());
  }

  @Test
  void everyRouteRefusesBWhatIsA() throws Exception {
    Map<String, Check> checks = new LinkedHashMap<>();
    checks.put("GET /api/proxies", this::proxyList);
    checks.put("GET /api/logs", this::logList);
    checks.put("GET /api/logs/stream", this::logStream);
    checks.put("GET /api/metrics", this::metrics);
    checks.put("GET /api/metrics/series", this::series);
    checks.put("GET /metrics", () -> expectStatus(call(HttpMethod.GET, "/metrics", bAuthorization, null), 403,
        "B reads Prometheus' /metrics (every proxy)"));
    checks.put("GET /api/audit", this::audit);
    checks.put("GET /api/tokens", this::tokenList);
    checks.put("DELETE /api/tokens/:id", this::tokenRevoke);
    checks.put("GET /api/users", () -> expectStatus(call(HttpMethod.GET, "/api/users", bAuthorization, null), 403,
        "B lists the users"));
    checks.put("PATCH /api/users/:id", this::userChange);
    checks.put("* /eventbus/", this::bridges);

    JsonObject aBefore = ok(call(HttpMethod.GET, "/api/proxies/" + aProxy, FaultlineHarness.adminAuthorization(),
        null), 200);
    JsonObject aCache = ok(call(HttpMethod.GET, "/api/proxies/" + aProxy + "/cache",
        FaultlineHarness.adminAuthorization(), null), 200);
    String aKey = aCache.getJsonArray("items").getJsonObject(0).getString("key");

    List<String> unknown = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    Set<String> tried = new TreeSet<>();
    // Deletions last: one that wrongly went through must not hide what the others do.
    List<Route> routes = faultline.adminRoutes().stream()
        .sorted(Comparator.comparing(route -> route.methods() != null && route.methods().contains(HttpMethod.DELETE)))
        .toList();
    for (Route route : routes) {
      String path = route.getPath();
      if (path == null) {
        if (!outsideTheApi(route)) {
          unknown.add(route.getName());
        }
        continue;
      }
      List<String> keys = route.methods() == null || route.methods().isEmpty() ? List.of("* " + path)
          : route.methods().stream().map(method -> method.name() + " " + path).toList();
      for (String key : keys) {
        if (key.startsWith("* ") && IN_FRONT.contains(path) && !checks.containsKey(key)) {
          continue;
        }
        if (PUBLIC_OR_SELF.contains(key) || path.startsWith(OAUTH) || !tried.add(key)) {
          continue;
        }
        try {
          if (checks.containsKey(key)) {
            checks.get(key).run();
          } else if (path.startsWith("/api/proxies/:id") && !key.startsWith("* ")) {
            onAProxy(HttpMethod.valueOf(key.substring(0, key.indexOf(' '))), path, aKey);
          } else {
            unknown.add(key);
          }
        } catch (AssertionError | Exception e) {
          failures.add(key + ": " + e);
        }
      }
    }
    assertTrue(failures.isEmpty() && unknown.isEmpty(), "B reached A's resources:\n" + String.join("\n", failures)
        + "\nroutes this test does not know how to try as another user (say how, or list them as public/self if "
        + "they show nothing of anyone's): " + unknown);
    assertTrue(tried.containsAll(checks.keySet()), "every check ran against a route the server has: " + tried);

    // And A's proxy is as it was: nothing B tried changed, stopped, deleted or emptied it.
    JsonObject aAfter = ok(call(HttpMethod.GET, "/api/proxies/" + aProxy, FaultlineHarness.adminAuthorization(),
        null), 200);
    assertEquals(aBefore.getString("name"), aAfter.getString("name"));
    assertEquals(aBefore.getString("status"), aAfter.getString("status"));
    assertEquals(aBefore.getValue("faults"), aAfter.getValue("faults"));
    assertEquals(aCache.getLong("entries"), ok(call(HttpMethod.GET, "/api/proxies/" + aProxy + "/cache",
        FaultlineHarness.adminAuthorization(), null), 200).getLong("entries"), "A's cache is whole");
    assertEquals(200, chatStatus(aPort), "A's proxy still serves");
  }

  @Test
  void eachSeesTheirOwnAndTheAdminSeesBoth() {
    String admin = FaultlineHarness.adminAuthorization();
    assertEquals(bProxy, ok(call(HttpMethod.GET, "/api/proxies/" + bProxy, bAuthorization, null), 200)
        .getString("id"));
    assertEquals(Set.of(aProxy, bProxy), ids(call(HttpMethod.GET, "/api/proxies", admin, null)
        .bodyAsJsonArray(), "id"));
    // At least: the other test (same Faultline) may have sent more.
    List<JsonObject> own = entries(call(HttpMethod.GET, "/api/logs?limit=1000&proxy=" + bProxy, bAuthorization, null));
    assertTrue(own.size() >= B_CALLS, "B reads its own rows: " + own.size());
    List<JsonObject> all = entries(call(HttpMethod.GET, "/api/logs?limit=1000", admin, null));
    assertEquals(Set.of(aProxy, bProxy), ids(new JsonArray(all), "proxy_id"), "the admin reads everyone's rows");
    assertTrue(ok(call(HttpMethod.GET, "/api/metrics?window=1h&proxy=" + bProxy, bAuthorization, null), 200)
        .getInteger("requests") >= B_CALLS, "B reads its own proxy's metrics");
    assertTrue(ok(call(HttpMethod.GET, "/api/metrics?window=1h", admin, null), 200).getInteger("requests")
        >= A_CALLS + B_CALLS, "the admin's metrics count everyone's requests");
    assertEquals(200, call(HttpMethod.GET, "/api/proxies/" + bProxy + "/cache", bAuthorization, null).statusCode());
    assertEquals(200, call(HttpMethod.GET, "/api/proxies/" + bProxy + "/faults", bAuthorization, null).statusCode());
  }

  /** The README's Python client for the TCP bridge, run as it is written, with B's token. */
  @Test
  void theReadmesPythonClientPrintsTheUsersOwnEntries() throws Exception {
    ProcessBuilder builder = new ProcessBuilder("python3", "-c", readmeExample(), "127.0.0.1", String.valueOf(tcpPort),
        bUser).redirectErrorStream(true);
    builder.environment().put("FAULTLINE_TOKEN", bToken);
    Process python = builder.start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(),
          StandardCharsets.UTF_8))) {
        out.lines().forEach(lines::add);
      } catch (IOException | UncheckedIOException ignored) {
        // the process was ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    try {
      // Its subscription is in place once the token is checked: traffic until it prints.
      List<String> printed = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (printed.size() < 2 && System.nanoTime() < deadline && python.isAlive()) {
        chat(aPort);
        chat(bPort);
        String line = lines.poll(300, TimeUnit.MILLISECONDS);
        if (line != null) {
          printed.add(line);
        }
      }
      lines.drainTo(printed);
      assertTrue(printed.size() >= 2, "the client printed entries: " + printed);
      for (String line : printed) {
        assertTrue(line.startsWith(bProxy + " 200 gpt-4o-mini "), "B's entries only: " + printed);
      }
    } finally {
      python.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String readmeExample() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String marker = "<!-- tcp-bridge-example -->\n```python\n";
    int start = readme.indexOf(marker);
    assertTrue(start >= 0, "the README has the TCP bridge example");
    start += marker.length();
    return readme.substring(start, readme.indexOf("\n```", start));
  }

  // ---- the checks, one per route that is not about one proxy ----

  /** A route about one proxy, with A's: answered exactly as for a proxy that does not exist. */
  private void onAProxy(HttpMethod method, String pattern, String aCacheKey) {
    JsonObject body = method == HttpMethod.GET || method == HttpMethod.DELETE ? null
        : new JsonObject().put("name", "taken-by-b");
    HttpResponse<Buffer> onA = call(method, fill(pattern, aProxy, aCacheKey), bAuthorization, body);
    HttpResponse<Buffer> onMissing = call(method, fill(pattern, MISSING, aCacheKey), bAuthorization, body);
    assertEquals(404, onA.statusCode(), method + " " + pattern + " with A's proxy: " + onA.bodyAsString());
    assertEquals(onMissing.statusCode(), onA.statusCode());
    assertEquals(onMissing.bodyAsString().replace(MISSING, "<id>"), onA.bodyAsString().replace(aProxy, "<id>"),
        "the same answer as for a missing proxy");
  }

  private void proxyList() {
    assertEquals(Set.of(bProxy), ids(call(HttpMethod.GET, "/api/proxies", bAuthorization, null).bodyAsJsonArray(),
        "id"));
  }

  private void logList() {
    List<JsonObject> page = entries(call(HttpMethod.GET, "/api/logs?limit=1000", bAuthorization, null));
    assertEquals(Set.of(bProxy), ids(new JsonArray(page), "proxy_id"), "B's log rows are B's alone");
    assertSameAsMissing("/api/logs?proxy=");
    for (String format : List.of("csv", "json", "ndjson")) {
      String export = call(HttpMethod.GET, "/api/logs?export=" + format, bAuthorization, null).bodyAsString();
      assertTrue(export.contains(bProxy) && !export.contains(aProxy), "B's " + format + " export: " + export);
      assertSameAsMissing("/api/logs?export=" + format + "&proxy=");
    }
  }

  private void logStream() throws IOException, InterruptedException {
    assertSameAsMissing("/api/logs/stream?proxy=");
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    // The JDK's client reads the body from its first byte on: a handler set once the head is in
    // may miss the stream's opening line, which arrives with it.
    java.net.http.HttpResponse<Stream<String>> response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + faultline.adminPort() + "/api/logs/stream"))
            .header("Authorization", bAuthorization).build(), java.net.http.HttpResponse.BodyHandlers.ofLines());
    Thread reader = new Thread(() -> {
      try {
        response.body().filter(line -> !line.isEmpty()).forEach(events::add);
      } catch (UncheckedIOException closed) {
        // the test is done with it
      }
    });
    reader.setDaemon(true);
    reader.start();
    try {
      assertEquals(200, response.statusCode());
      assertTrue(events.poll(10, TimeUnit.SECONDS) != null, "the stream opened");
      chat(aPort);
      chat(bPort);
      JsonObject seen = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (seen == null && System.nanoTime() < deadline) {
        String event = events.poll(1, TimeUnit.SECONDS);
        if (event != null && event.startsWith("data: ")) {
          seen = new JsonObject(event.substring(6));
          assertEquals(bProxy, seen.getString("proxy_id"), "B's stream carries B's entries only: " + seen);
        }
      }
      assertTrue(seen != null, "B's own entry came through B's stream");
      String more = events.poll(300, TimeUnit.MILLISECONDS);
      assertTrue(more == null || !more.contains(aProxy), "nothing of A's: " + more);
    } finally {
      response.body().close();
    }
  }

  private void metrics() {
    JsonObject own = ok(call(HttpMethod.GET, "/api/metrics?window=1h", bAuthorization, null), 200);
    JsonObject ownProxy = ok(call(HttpMethod.GET, "/api/metrics?window=1h&proxy=" + bProxy, bAuthorization, null), 200);
    assertEquals(ownProxy.getInteger("requests"), own.getInteger("requests"),
        "B's overall metrics are B's proxy's, A's requests not counted: " + own);
    assertSameAsMissing("/api/metrics?proxy=");
  }

  private void series() {
    JsonObject own = ok(call(HttpMethod.GET, "/api/metrics/series?window=1h", bAuthorization, null), 200);
    JsonObject ownProxy = ok(call(HttpMethod.GET, "/api/metrics/series?window=1h&proxy=" + bProxy, bAuthorization,
        null), 200);
    assertTrue(requests(ownProxy) >= B_CALLS, "B's proxy's series has B's requests: " + requests(ownProxy));
    assertEquals(requests(ownProxy), requests(own), "B's overall series is B's proxy's, A's requests not counted");
    assertFalse(own.encode().contains(aProxy), "nothing of A's in B's series (annotations, fault windows)");
    assertSameAsMissing("/api/metrics/series?window=1h&proxy=");
  }

  private static long requests(JsonObject series) {
    return series.getJsonArray("points").stream().mapToLong(p -> ((JsonObject) p).getLong("requests")).sum();
  }

  private void audit() {
    JsonArray entries = ok(call(HttpMethod.GET, "/api/audit", bAuthorization, null), 200).getJsonArray("entries");
    assertFalse(entries.isEmpty(), "B's own changes are there");
    for (Object item : entries) {
      JsonObject entry = (JsonObject) item;
      assertEquals(bUser, entry.getString("actor_id"), "B's audit is B's: " + entry);
      assertFalse(entry.encode().contains(aProxy) || entry.encode().contains(aUser), "nothing of A's: " + entry);
    }
  }

  private void tokenList() {
    String listed = call(HttpMethod.GET, "/api/tokens", bAuthorization, null).bodyAsString();
    for (String id : tokenIds(FaultlineHarness.adminAuthorization())) {
      assertFalse(listed.contains(id), "A's token " + id + " is not in B's list: " + listed);
    }
  }

  private void tokenRevoke() {
    String aTokenId = tokenIds(FaultlineHarness.adminAuthorization()).get(0);
    expectStatus(call(HttpMethod.DELETE, "/api/tokens/" + aTokenId, bAuthorization, null), 404,
        "B revokes A's token");
    assertEquals(200, call(HttpMethod.GET, "/api/auth/me", FaultlineHarness.adminAuthorization(), null).statusCode(),
        "A's token still works");
  }

  private void userChange() {
    expectStatus(call(HttpMethod.PATCH, "/api/users/" + aUser, bAuthorization, new JsonObject().put("disabled", true)),
        403, "B disables A");
    expectStatus(call(HttpMethod.PATCH, "/api/users/" + bUser, bAuthorization, new JsonObject().put("role", "admin")),
        403, "B makes itself an admin");
  }

  /** B's SockJS socket and TCP connection: only B's own addresses, and never A's entries. */
  private void bridges() throws InterruptedException {
    List<String> aAddresses = List.of("faultline.log", "faultline.metrics", "faultline.proxy.status",
        "faultline.log.user." + aUser, "faultline.metrics.user." + aUser, "faultline.proxy.status.user." + aUser);
    String bLog = "faultline.log.user." + bUser;

    // SockJS, raw WebSocket transport: B's handshake passed the gate as B.
    BlockingQueue<JsonObject> sockFrames = new LinkedBlockingQueue<>();
    WebSocket socket = await(vertx.createWebSocketClient().connect(new WebSocketConnectOptions()
        .setPort(faultline.adminPort()).setHost("127.0.0.1").setURI("/eventbus/websocket")
        .addHeader("Authorization", bAuthorization)).map(open -> {
          open.handler(data -> sockFrames.add(data.toJsonObject()));
          return open;
        }));
    // A's listener on A's own address: shows that A's entries do go out there while B hears none.
    BlockingQueue<JsonObject> aFrames = new LinkedBlockingQueue<>();
    NetSocket aTcp = tcp(aFrames::add);
    TcpBridgeClient.send(aTcp, register("faultline.log.user." + aUser, FaultlineHarness.ADMIN_TOKEN));

    BlockingQueue<JsonObject> tcpFrames = new LinkedBlockingQueue<>();
    NetSocket bTcp = tcp(tcpFrames::add);
    try {
      for (String address : aAddresses) {
        socket.writeTextMessage(new JsonObject().put("type", "register").put("address", address).encode());
        assertRefused(sockFrames.poll(5, TimeUnit.SECONDS), "SockJS: B registers on " + address);
        TcpBridgeClient.send(bTcp, register(address, bToken));
        assertRefused(tcpFrames.poll(5, TimeUnit.SECONDS), "TCP: B registers on " + address);
      }
      TcpBridgeClient.send(bTcp, new JsonObject().put("type", "register").put("address", bLog));
      assertRefused(tcpFrames.poll(5, TimeUnit.SECONDS), "TCP: a registration without a token");
      TcpBridgeClient.send(bTcp, register(bLog, "flt_not-a-token"));
      assertRefused(tcpFrames.poll(5, TimeUnit.SECONDS), "TCP: a registration with a wrong token");

      socket.writeTextMessage(new JsonObject().put("type", "register").put("address", bLog).encode());
      TcpBridgeClient.send(bTcp, register(bLog, bToken));
      // Registration on the TCP bridge completes once the token is checked: wait for it to be heard.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      JsonObject sockSeen = null;
      JsonObject tcpSeen = null;
      JsonObject aSeen = null;
      while ((sockSeen == null || tcpSeen == null || aSeen == null) && System.nanoTime() < deadline) {
        chat(aPort);
        chat(bPort);
        JsonObject frame = sockFrames.poll(200, TimeUnit.MILLISECONDS);
        if (frame != null) {
          assertEquals("rec", frame.getString("type"), "only B's entries reach B's socket: " + frame);
          assertEquals(bProxy, frame.getJsonObject("body").getString("proxy_id"));
          sockSeen = frame;
        }
        frame = tcpFrames.poll(200, TimeUnit.MILLISECONDS);
        if (frame != null) {
          assertEquals("message", frame.getString("type"), "only B's entries reach B's connection: " + frame);
          assertEquals(bLog, frame.getString("address"));
          assertEquals(bProxy, frame.getJsonObject("body").getString("proxy_id"));
          tcpSeen = frame;
        }
        JsonObject heard = aFrames.poll(10, TimeUnit.MILLISECONDS);
        aSeen = heard != null ? heard : aSeen;
      }
      assertTrue(sockSeen != null && tcpSeen != null, "B heard its own entries (SockJS " + sockSeen + ", TCP "
          + tcpSeen + ")");
      assertTrue(aSeen != null && aProxy.equals(aSeen.getJsonObject("body").getString("proxy_id")),
          "A's entries went out on A's own address: " + aSeen);
      drainOnlyB(sockFrames, "SockJS");
      drainOnlyB(tcpFrames, "TCP");
    } finally {
      socket.close();
      bTcp.close();
      aTcp.close();
    }
  }

  private void drainOnlyB(BlockingQueue<JsonObject> frames, String bridge) throws InterruptedException {
    JsonObject frame;
    while ((frame = frames.poll(300, TimeUnit.MILLISECONDS)) != null) {
      assertFalse(frame.encode().contains(aProxy), bridge + ": nothing of A's reaches B: " + frame);
    }
  }

  // ---- helpers ----

  /** {@code prefix + A's proxy} is answered exactly as {@code prefix + a missing one}: a 404. */
  private void assertSameAsMissing(String prefix) {
    HttpResponse<Buffer> onA = call(HttpMethod.GET, prefix + aProxy, bAuthorization, null);
    HttpResponse<Buffer> onMissing = call(HttpMethod.GET, prefix + MISSING, bAuthorization, null);
    assertEquals(404, onA.statusCode(), prefix + "<A's>: " + onA.bodyAsString());
    assertEquals(onMissing.bodyAsString().replace(MISSING, "<id>"), onA.bodyAsString().replace(aProxy, "<id>"));
  }

  /** The dashboard's pages: served by regex to everyone, never a path of the API. */
  private static boolean outsideTheApi(Route route) {
    if (route.getName() == null) {
      return true; // the Host/Origin guard in front of everything
    }
    Pattern regex = Pattern.compile(route.getName());
    return !regex.matcher("/api/proxies").matches() && !regex.matcher("/api/logs").matches();
  }

  private static String fill(String pattern, String proxyId, String cacheKey) {
    return pattern.replace(":id", proxyId).replace(":key", cacheKey).replaceAll(":[a-z_]+", "x");
  }

  private List<String> tokenIds(String authorization) {
    JsonArray tokens = call(HttpMethod.GET, "/api/tokens", authorization, null).bodyAsJsonArray();
    return tokens.stream().map(t -> ((JsonObject) t).getString("id")).toList();
  }

  private HttpResponse<Buffer> call(HttpMethod method, String uri, String authorization, JsonObject body) {
    var request = web.request(method, faultline.adminPort(), "127.0.0.1", uri);
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  private static JsonObject ok(HttpResponse<Buffer> response, int status) {
    return FaultlineHarness.expect(response, status).bodyAsJsonObject();
  }

  private static void expectStatus(HttpResponse<Buffer> response, int status, String what) {
    assertEquals(status, response.statusCode(), what + ": " + response.bodyAsString());
  }

  private static List<JsonObject> entries(HttpResponse<Buffer> response) {
    return ok(response, 200).getJsonArray("entries").stream().map(JsonObject.class::cast).toList();
  }

  private static Set<String> ids(JsonArray items, String field) {
    Set<String> ids = new TreeSet<>();
    items.forEach(item -> ids.add(((JsonObject) item).getString(field)));
    return ids;
  }

  private void chat(int port) {
    assertEquals(200, chatStatus(port));
  }

  private int chatStatus(int port) {
    return await(web.post(port, "127.0.0.1", "/v1/chat/completions").putHeader("authorization", "Bearer sk-x")
        .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(CHAT))).statusCode();
  }

  private static JsonObject register(String address, String token) {
    return new JsonObject().put("type", "register").put("address", address)
        .put("headers", new JsonObject().put("authorization", "Bearer " + token));
  }

  private NetSocket tcp(Consumer<JsonObject> frames) {
    return TcpBridgeClient.connect(vertx, "127.0.0.1", tcpPort, frames);
  }


  private static void assertRefused(JsonObject frame, String what) {
    assertTrue(frame != null && "err".equals(frame.getString("type")), what + " is refused, got " + frame);
  }

  @FunctionalInterface
  private interface Check {
    void run() throws Exception;
  }
}
