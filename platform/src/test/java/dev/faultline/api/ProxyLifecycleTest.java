package dev.faultline.api;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import dev.faultline.proxy.control.ProxyManager;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The admin API's proxy lifecycle, against a whole Faultline with real ports and a real SQLite file. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyLifecycleTest {

  private static final JsonObject CHAT = new JsonObject().put("model", "gpt-4o-mini")
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private Faultline faultline;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    this.faultline = await(FaultlineHarness.start(vertx, dataDir));
    this.client = FaultlineHarness.client(vertx);
  }

  @AfterEach
  void stop() {
    if (faultline != null) {
      await(faultline.stop());
    }
  }

  @Test
  void createdProxyAnswersOnItsPortAndIsListed() {
    int port = FaultlineHarness.freePort();
    JsonObject created = create(new JsonObject().put("name", "one").put("provider", "mock").put("port", port));
    assertEquals("running", created.getString("status"));
    assertEquals(port, created.getInteger("port"));
    assertTrue(created.getString("id").startsWith("prx_"), created.encode());

    HttpResponse<Buffer> completion = chat(port);
    assertEquals(200, completion.statusCode(), completion.bodyAsString());
    assertEquals("chat.completion", completion.bodyAsJsonObject().getString("object"));

    JsonArray all = admin("GET", "/api/proxies", null).bodyAsJsonArray();
    assertEquals(1, all.size());
    assertEquals(created.getString("id"), all.getJsonObject(0).getString("id"));
    assertEquals(created.getString("id"), admin("GET", "/api/proxies/" + created.getString("id"), null)
        .bodyAsJsonObject().getString("id"));
  }

  @Test
  void portAssignedFromTheRangeWhenNoneGiven() {
    FaultlineConfig config = faultline.config();
    JsonObject created = create(new JsonObject().put("name", "auto").put("provider", "mock"));
    int port = created.getInteger("port");
    assertTrue(port >= config.portRangeFrom() && port <= config.portRangeTo(), "port " + port);
    assertEquals(200, chat(port).statusCode());
  }

  @Test
  void aPortAProxyLeftIsTheNextOneHandedOut() {
    int first = autoPort("first");
    int second = autoPort("second");
    String third = create(new JsonObject().put("name", "third").put("provider", "mock")).getString("id");
    assertTrue(first < second, first + " then " + second);

    String secondId = idOf("second");
    assertEquals(204, admin("DELETE", "/api/proxies/" + secondId, null).statusCode());
    assertEquals(second, autoPort("after-delete"), "the deleted proxy's port is handed out again");

    JsonObject move = new JsonObject().put("port", FaultlineHarness.freePort());
    expect(admin("PATCH", "/api/proxies/" + idOf("first"), move), 200);
    assertEquals(first, autoPort("after-move"), "the port a proxy moved away from is handed out again");
    assertEquals(200, chat(first).statusCode());
    assertEquals(200, admin("GET", "/api/proxies/" + third, null).statusCode());
  }

  @Test
  void aPortAStoppedProxyWasMovedOntoIsSkipped() {
    int first = autoPort("first");
    // Moved onto the next port rather than created there, and not listening: only the store knows.
    String parked = create(new JsonObject().put("name", "parked").put("provider", "mock")
        .put("port", FaultlineHarness.freePort()).put("status", "stopped")).getString("id");
    expect(admin("PATCH", "/api/proxies/" + parked, new JsonObject().put("port", first + 1)), 200);
    int next = autoPort("next");
    assertTrue(next > first + 1, "the stopped proxy's port " + (first + 1) + " was handed out again: " + next);
    assertEquals(200, chat(next).statusCode());
  }

  @Test
  void aNameClashLeavesNothingListeningAndItsPortIsTheNextOneHandedOut() {
    int first = autoPort("taken-name");
    assertRefused(409, "name", new JsonObject().put("name", "taken-name").put("provider", "mock"));
    assertFalse(listening(first + 1), "the refused proxy's port is still open");
    assertEquals(first + 1, autoPort("after-the-clash"));
    assertEquals(1, admin("GET", "/api/proxies", null).bodyAsJsonArray().stream()
        .filter(p -> "taken-name".equals(((JsonObject) p).getString("name"))).count());
  }

  @Test
  void aPortAnotherNodeFreedInAFullRangeIsFound() throws Exception {
    FaultlineConfig config = faultline.config();
    int ports = config.portRangeTo() - config.portRangeFrom() + 1;
    for (int i = 0; i < ports; i++) {
      // Stopped: nothing of theirs listens here, as for proxies another node runs.
      create(new JsonObject().put("name", "filler-" + i).put("provider", "mock").put("status", "stopped"));
    }
    JsonObject full = expect(admin("POST", "/api/proxies", new JsonObject().put("name", "one-too-many")
        .put("provider", "mock")), 409).bodyAsJsonObject();
    assertTrue(full.getJsonObject("error").getString("message").contains("no free port left"), full.encode());

    // What a cluster node does that this one has not heard of yet: a proxy gone from the shared store.
    int freed;
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("faultline.db"));
         Statement statement = db.createStatement();
         ResultSet row = statement.executeQuery("SELECT port FROM proxies WHERE name = 'filler-3'")) {
      assertTrue(row.next(), "filler-3 is stored");
      freed = row.getInt(1);
      statement.executeUpdate("DELETE FROM proxies WHERE name = 'filler-3'");
    }
    assertEquals(freed, autoPort("late"), "the freed port is found though this node thought the range full");
    assertEquals(200, chat(freed).statusCode());
  }

  @Test
  void portInUseByAnotherProgramIsRefusedAndNothingIsStored() throws IOException {
    try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      HttpResponse<Buffer> refused = admin("POST", "/api/proxies", new JsonObject().put("name", "clash")
          .put("provider", "mock").put("port", squatter.getLocalPort()));
      assertEquals(409, refused.statusCode(), refused.bodyAsString());
      JsonObject error = refused.bodyAsJsonObject().getJsonObject("error");
      assertEquals("port", error.getString("field"));
      assertTrue(error.getString("message").contains("already in use"), error.encode());
    }
    assertEquals(0, admin("GET", "/api/proxies", null).bodyAsJsonArray().size());
  }

  /**
   * A clash is refused naming the proxy in the way, running or stopped, and a refusal starts,
   * moves or stops nothing: no status change is published while they are answered.
   */
  @Test
  void aClashNamesTheProxyInTheWayAndChangesNothing() {
    int runningPort = FaultlineHarness.freePort();
    String running = create(new JsonObject().put("name", "runs").put("provider", "mock").put("port", runningPort))
        .getString("id");
    int stoppedPort = FaultlineHarness.freePort();
    create(new JsonObject().put("name", "rests").put("provider", "mock").put("port", stoppedPort)
        .put("status", "stopped"));
    List<JsonObject> changes = new CopyOnWriteArrayList<>();
    await(vertx.eventBus().<JsonObject>consumer(ProxyManager.STATUS_ADDRESS, m -> changes.add(m.body())).completion());

    assertMessage(admin("POST", "/api/proxies", new JsonObject().put("name", "x").put("provider", "mock")
        .put("port", runningPort)), "port", runningPort + " is already used by proxy 'runs'");
    assertMessage(admin("POST", "/api/proxies", new JsonObject().put("name", "x").put("provider", "mock")
        .put("port", stoppedPort)), "port", stoppedPort + " is already used by proxy 'rests'");
    assertFalse(listening(stoppedPort), "the refused proxy's port is still open");
    assertMessage(admin("POST", "/api/proxies", new JsonObject().put("name", "rests").put("provider", "mock")
        .put("port", FaultlineHarness.freePort())), "name", "a proxy named 'rests' already exists");

    assertMessage(admin("PATCH", "/api/proxies/" + running, new JsonObject().put("name", "rests")), "name",
        "a proxy named 'rests' already exists");
    assertMessage(admin("PATCH", "/api/proxies/" + running, new JsonObject().put("port", stoppedPort)), "port",
        stoppedPort + " is already used by proxy 'rests'");
    JsonObject after = admin("GET", "/api/proxies/" + running, null).bodyAsJsonObject();
    assertEquals("runs", after.getString("name"), after.encode());
    assertEquals(runningPort, after.getInteger("port"), after.encode());
    assertEquals("running", after.getString("status"), after.encode());
    assertEquals(200, chat(runningPort).statusCode(), "the refused changes left it serving on its port");
    assertFalse(listening(stoppedPort), "the refused move left the other proxy's port open");
    assertEquals(2, admin("GET", "/api/proxies", null).bodyAsJsonArray().size(), "refusals stored nothing");
    assertEquals(List.of(), changes, "the refusals started, moved or stopped a proxy");
  }

  @Test
  void badInputIsRefusedNamingTheField() {
    int port = FaultlineHarness.freePort();
    create(new JsonObject().put("name", "taken").put("provider", "mock").put("port", port));

    assertRefused(400, "provider", new JsonObject().put("name", "x").put("provider", "nope"));
    assertRefused(400, "port", new JsonObject().put("name", "x").put("provider", "mock").put("port", 70000));
    assertRefused(400, "port", new JsonObject().put("name", "x").put("provider", "mock").put("port", "80"));
    assertRefused(400, "name", new JsonObject().put("provider", "mock"));
    assertRefused(400, "upstream", new JsonObject().put("name", "x").put("provider", "openai").put("upstream", "ftp://a"));
    assertRefused(400, "colour", new JsonObject().put("name", "x").put("provider", "mock").put("colour", "red"));
    assertRefused(409, "name", new JsonObject().put("name", "taken").put("provider", "mock"));
    assertRefused(409, "port", new JsonObject().put("name", "x").put("provider", "mock").put("port", port));
    assertRefused(409, "port", new JsonObject().put("name", "x").put("provider", "mock")
        .put("port", faultline.adminPort()));

    HttpResponse<Buffer> notJson = await(client.post(faultline.adminPort(), "127.0.0.1", "/api/proxies")
        .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer("{nope")));
    assertEquals(400, notJson.statusCode(), notJson.bodyAsString());
    assertEquals(404, admin("GET", "/api/proxies/prx_missing", null).statusCode());
    assertEquals(1, admin("GET", "/api/proxies", null).bodyAsJsonArray().size(), "refusals stored nothing");
  }

  @Test
  void stopClosesThePortAndStartOpensItAgain() {
    int port = FaultlineHarness.freePort();
    String id = create(new JsonObject().put("name", "toggle").put("provider", "mock").put("port", port)).getString("id");
    assertTrue(listening(port));

    JsonObject stopped = admin("POST", "/api/proxies/" + id + "/stop", null).bodyAsJsonObject();
    assertEquals("stopped", stopped.getString("status"));
    assertFalse(listening(port), "port " + port + " still accepts connections after stop");

    JsonObject started = admin("POST", "/api/proxies/" + id + "/start", null).bodyAsJsonObject();
    assertEquals("running", started.getString("status"));
    assertEquals(200, chat(port).statusCode());
  }

  @Test
  void patchChangesOnlyTheNamedFieldsAndMovesThePort() {
    int port = FaultlineHarness.freePort();
    JsonObject created = create(new JsonObject().put("name", "before").put("provider", "mock").put("port", port)
        .put("options", new JsonObject().put("completion_tokens", 5)));
    String id = created.getString("id");

    JsonObject renamed = expect(admin("PATCH", "/api/proxies/" + id, new JsonObject().put("name", "after")), 200)
        .bodyAsJsonObject();
    assertEquals("after", renamed.getString("name"));
    assertEquals(port, renamed.getInteger("port"));
    assertEquals(5, renamed.getJsonObject("options").getInteger("completion_tokens"));
    assertEquals("running", renamed.getString("status"));

    int newPort = FaultlineHarness.freePort();
    assertNotEquals(port, newPort);
    JsonObject moved = expect(admin("PATCH", "/api/proxies/" + id, new JsonObject().put("port", newPort)), 200)
        .bodyAsJsonObject();
    assertEquals(newPort, moved.getInteger("port"));
    assertEquals(200, chat(newPort).statusCode());
    assertFalse(listening(port), "old port still open after the move");
  }

  @Test
  void reconfiguringARunningProxyKeepsItsPortOpen() {
    int port = FaultlineHarness.freePort();
    String id = create(new JsonObject().put("name", "live").put("provider", "mock").put("port", port)
        .put("options", new JsonObject().put("completion_tokens", 3))).getString("id");
    int before = chat(port).bodyAsJsonObject().getJsonObject("usage").getInteger("completion_tokens");

    expect(admin("PATCH", "/api/proxies/" + id, new JsonObject()
        .put("options", new JsonObject().put("completion_tokens", 9))), 200);
    int after = chat(port).bodyAsJsonObject().getJsonObject("usage").getInteger("completion_tokens");

    assertEquals(3, before);
    assertEquals(9, after, "the new options apply to the next request");
    HttpResponse<Buffer> refused = admin("PATCH", "/api/proxies/" + id, new JsonObject()
        .put("options", new JsonObject().put("tokens_per_second", "fast")));
    assertEquals(400, refused.statusCode(), refused.bodyAsString());
    assertEquals("options.tokens_per_second", refused.bodyAsJsonObject().getJsonObject("error").getString("field"),
        "the provider's typed exception names the option");
    assertEquals(9, chat(port).bodyAsJsonObject().getJsonObject("usage").getInteger("completion_tokens"),
        "a refused change leaves the proxy as it was");
  }

  @Test
  void aRequestUnderWayWhenSettingsChangeIsServedByTheSessionItStartedOn() throws IOException {
    int port = FaultlineHarness.freePort();
    String id = create(new JsonObject().put("name", "midway").put("provider", "mock").put("port", port)
        .put("options", new JsonObject().put("completion_tokens", 3))).getString("id");
    byte[] body = CHAT.encode().getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer sk-test\r\n"
          + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, 10);
      out.flush();
      // The proxy is reconfigured while this request's body is still arriving.
      expect(admin("PATCH", "/api/proxies/" + id, new JsonObject()
          .put("options", new JsonObject().put("completion_tokens", 9))), 200);
      out.write(body, 10, body.length - 10);
      out.flush();
      String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(),
          StandardCharsets.US_ASCII)).readLine();
      assertEquals("HTTP/1.1 200 OK", statusLine, "the request that began before the change is answered");
    }
    assertEquals(9, chat(port).bodyAsJsonObject().getJsonObject("usage").getInteger("completion_tokens"));
  }

  @Test
  void deleteClosesThePortAndForgetsTheProxy() {
    int port = FaultlineHarness.freePort();
    String id = create(new JsonObject().put("name", "gone").put("provider", "mock").put("port", port)).getString("id");
    assertEquals(204, admin("DELETE", "/api/proxies/" + id, null).statusCode());
    assertFalse(listening(port));
    assertEquals(404, admin("GET", "/api/proxies/" + id, null).statusCode());
  }

  @Test
  void restartRestoresTheProxiesThatWereRunning() {
    int runningPort = FaultlineHarness.freePort();
    int stoppedPort = FaultlineHarness.freePort();
    create(new JsonObject().put("name", "keeps-running").put("provider", "mock").put("port", runningPort));
    create(new JsonObject().put("name", "stays-stopped").put("provider", "mock").put("port", stoppedPort)
        .put("status", "stopped"));

    await(faultline.stop());
    faultline = null;
    assertFalse(listening(runningPort));

    faultline = await(FaultlineHarness.start(vertx, dataDir));
    assertEquals(200, chat(runningPort).statusCode());
    assertFalse(listening(stoppedPort));
    List<String> statuses = admin("GET", "/api/proxies", null).bodyAsJsonArray().stream()
        .map(p -> ((JsonObject) p).getString("name") + "=" + ((JsonObject) p).getString("status")).sorted().toList();
    assertEquals(List.of("keeps-running=running", "stays-stopped=stopped"), statuses);
  }

  /** More proxies than start together at boot, and one whose port another program took meanwhile. */
  @Test
  void restartRestoresManyProxiesAndOneThatCannotStartFailsAlone() throws IOException {
    List<Integer> ports = new java.util.ArrayList<>();
    for (int i = 0; i < ProxyManager.RESTORE_TOGETHER + 8; i++) {
      int port = FaultlineHarness.freePort();
      create(new JsonObject().put("name", "many-" + i).put("provider", "mock").put("port", port));
      ports.add(port);
    }
    await(faultline.stop());
    faultline = null;
    int taken = ports.get(7);
    try (java.net.ServerSocket squatter = new java.net.ServerSocket(taken, 1,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      faultline = await(FaultlineHarness.start(vertx, dataDir));
      for (int port : ports) {
        if (port != taken) {
          assertEquals(200, chat(port).statusCode(), "proxy on port " + port + " after the restart");
        }
      }
      List<String> failed = admin("GET", "/api/proxies", null).bodyAsJsonArray().stream()
          .map(JsonObject.class::cast).filter(p -> !"running".equals(p.getString("status")))
          .map(p -> p.getString("name") + "=" + p.getString("status")).toList();
      assertEquals(List.of("many-7=failed"), failed, "only the proxy whose port was taken");
    }
  }

  private void assertRefused(int status, String field, JsonObject body) {
    HttpResponse<Buffer> response = admin("POST", "/api/proxies", body);
    assertEquals(status, response.statusCode(), body.encode() + " -> " + response.bodyAsString());
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertEquals(field, error.getString("field"), error.encode());
    assertTrue(error.getString("message").contains(field), error.encode());
  }

  /**
   * The store refuses the name or port, but no proxy has it by the time the refusal is explained
   * (another node changed that one in the same instant; here a trigger refuses as the unique index
   * would): still a 409 naming the field, never a 500, and nothing is left behind.
   */
  @Test
  void aClashWhoseHolderIsGoneWhenLookedForIsStillAConflict() {
    for (String column : List.of("name", "port")) {
      await(faultline.database().pool().query("CREATE TRIGGER gone_" + column + " BEFORE INSERT ON proxies WHEN "
          + "NEW.name = 'gone-" + column + "' BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: proxies." + column
          + "'); END").execute());
      int port = FaultlineHarness.freePort();
      assertMessage(admin("POST", "/api/proxies", new JsonObject().put("name", "gone-" + column).put("provider", "mock")
          .put("port", port)), column, "has let it go since");
      assertFalse(listening(port), "the refused proxy's port is still open");
    }
    assertEquals(0, admin("GET", "/api/proxies", null).bodyAsJsonArray().size(), "refusals stored nothing");

    // The same for a change: the store refuses a rename, and it is a 409, the proxy left as it was.
    int port = FaultlineHarness.freePort();
    String id = create(new JsonObject().put("name", "stays").put("provider", "mock").put("port", port)).getString("id");
    await(faultline.database().pool().query("CREATE TRIGGER gone_rename BEFORE UPDATE ON proxies WHEN "
        + "NEW.name = 'gone-rename' BEGIN SELECT RAISE(ABORT, 'UNIQUE constraint failed: proxies.name'); END").execute());
    assertMessage(admin("PATCH", "/api/proxies/" + id, new JsonObject().put("name", "gone-rename")), "name",
        "has let it go since");
    assertEquals("stays", admin("GET", "/api/proxies/" + id, null).bodyAsJsonObject().getString("name"));
    assertEquals(200, chat(port).statusCode(), "the refused change left it serving on its port");
  }

  private static void assertMessage(HttpResponse<Buffer> response, String field, String message) {
    assertEquals(409, response.statusCode(), response.bodyAsString());
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertEquals(field, error.getString("field"), error.encode());
    assertTrue(error.getString("message").contains(message), error.encode());
  }

  /** Creates a running mock proxy without a port; the port it was given. */
  private int autoPort(String name) {
    return create(new JsonObject().put("name", name).put("provider", "mock")).getInteger("port");
  }

  private String idOf(String name) {
    return admin("GET", "/api/proxies", null).bodyAsJsonArray().stream().map(JsonObject.class::cast)
        .filter(proxy -> name.equals(proxy.getString("name"))).findFirst().orElseThrow().getString("id");
  }

  private JsonObject create(JsonObject proxy) {
    return await(FaultlineHarness.createProxy(client, faultline, proxy));
  }

  private HttpResponse<Buffer> admin(String method, String path, JsonObject body) {
    var request = client.request(io.vertx.core.http.HttpMethod.valueOf(method), faultline.adminPort(), "127.0.0.1", path);
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  private HttpResponse<Buffer> chat(int port) {
    return await(client.post(port, "127.0.0.1", "/v1/chat/completions")
        .putHeader("Authorization", "Bearer sk-test").sendJsonObject(CHAT));
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
