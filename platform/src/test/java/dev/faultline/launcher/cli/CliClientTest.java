package dev.faultline.launcher.cli;

import static dev.faultline.launcher.cli.Says.says;
import static dev.faultline.launcher.cli.Says.lacks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client commands, run in-process as {@code faultline …} would run them, against a real running Faultline. */
class CliClientTest {

  @TempDir
  Path dir;

  private Vertx vertx;
  private Faultline faultline;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    faultline = FaultlineHarness.await(FaultlineHarness.start(vertx, dir.resolve("data")));
  }

  @AfterEach
  void stop() {
    FaultlineHarness.await(faultline.stop().eventually(vertx::close));
  }

  @Test
  void proxiesAreCreatedListedStoppedStartedAndDeletedByName() {
    Run created = cli("proxies", "create", "--name", "cli-mock", "--provider", "mock");
    assertEquals(0, created.code, created.err);
    says(created.out, "cli-mock", "running");

    says(cli("proxies", "list").out, "cli-mock", "mock", "running");
    assertEquals("running", proxy("cli-mock").getString("status"));

    assertEquals(0, cli("proxies", "stop", "cli-mock").code);
    assertEquals("stopped", proxy("cli-mock").getString("status"));
    says(cli("proxies", "start", proxy("cli-mock").getString("id")).out, "running");
    assertEquals("running", proxy("cli-mock").getString("status"));

    assertEquals(0, cli("proxies", "delete", "cli-mock").code);
    lacks(api("GET", "/api/proxies").body(), "cli-mock");
  }

  @Test
  void anApiErrorIsPrintedAsItsMessageWithAnExitCodeOfOne() {
    cli("proxies", "create", "--name", "twice", "--provider", "mock");
    Run again = cli("proxies", "create", "--name", "twice", "--provider", "mock");
    assertEquals(1, again.code);
    says(again.err, "twice");
    lacks(again.err, "Exception", "\tat ");

    Run missing = cli("proxies", "stop", "no-such-proxy");
    assertEquals(1, missing.code);
    says(missing.err, "no proxy with the id or name 'no-such-proxy'");
  }

  @Test
  void withoutATokenTheRefusalSaysHowToGiveOne() {
    StringWriter err = new StringWriter();
    int code = Cli.execute(new String[] {"proxies", "list", "--url", url()}, Map.of(), env -> 1,
        new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertEquals(1, code);
    says(err.toString(), "--token", "FAULTLINE_TOKEN");
  }

  @Test
  void faultsAreSetInTheHeaderGrammarTypedAsTheStrategySays() {
    cli("proxies", "create", "--name", "flaky", "--provider", "mock");
    Run set = cli("faults", "set", "flaky", "http-error;status=429;retry_after=2, latency;ms=5");
    assertEquals(0, set.code, set.err);

    JsonArray faults = new JsonArray(api("GET", "/api/proxies/" + proxy("flaky").getString("id") + "/faults").body());
    assertEquals(2, faults.size(), faults.encode());
    assertEquals("http-error", faults.getJsonObject(0).getString("strategy"));
    assertEquals(429, faults.getJsonObject(0).getJsonObject("params").getInteger("status"));
    assertEquals("latency", faults.getJsonObject(1).getString("strategy"));
    assertEquals(429, chat("flaky").statusCode());

    says(cli("faults", "list", "flaky").out, "http-error", "429");
    assertEquals(0, cli("faults", "clear", "flaky").code);
    assertTrue(new JsonArray(api("GET", "/api/proxies/" + proxy("flaky").getString("id") + "/faults").body()).isEmpty());
    assertEquals(200, chat("flaky").statusCode());
  }

  @Test
  void faultsAreSetByTheShorthandAsJsonOrAsOptions() {
    cli("proxies", "create", "--name", "short", "--provider", "mock");
    assertEquals(0, cli("faults", "set", "short", "--error", "503=1", "--timeout-sec", "5").code);
    String faults = api("GET", "/api/proxies/" + proxy("short").getString("id") + "/faults").body();
    says(faults, "http-error", "503", "upstream-timeout");
    assertEquals(503, chat("short").statusCode());

    assertEquals(0, cli("faults", "set", "short", "[{\"strategy\":\"http-error\",\"params\":{\"status\":500}}]").code);
    assertEquals(500, chat("short").statusCode());
  }

  @Test
  void badFaultsAreRefusedNamingWhatIsWrong() {
    cli("proxies", "create", "--name", "bad", "--provider", "mock");
    Run unknown = cli("faults", "set", "bad", "no-such-fault;x=1");
    assertEquals(1, unknown.code);
    says(unknown.err, "unknown fault strategy 'no-such-fault'", "http-error");

    Run outOfRange = cli("faults", "set", "bad", "http-error;status=99");
    assertEquals(1, outOfRange.code);
    says(outOfRange.err, "status", "99");
  }

  @Test
  void theCacheIsExportedClearedAndImported() throws Exception {
    cli("proxies", "create", "--name", "cached", "--provider", "mock", "--set", "{\"cache\":{\"enabled\":true}}");
    assertEquals(200, chat("cached").statusCode());
    Path cassette = dir.resolve("session.ndjson");
    awaitCached("cached");

    Run export = cli("cache", "export", "cached", "-o", cassette.toString());
    assertEquals(0, export.code, export.err);
    List<String> lines = Files.readAllLines(cassette);
    assertTrue(lines.size() >= 2, "a header and an entry: " + lines);
    says(cli("cache", "export", "cached").out, "gpt-4o-mini");

    Run cleared = cli("cache", "clear", "cached");
    says(cleared.out, "1 cached answers deleted");
    lacks(new JsonObject(api("GET", "/api/proxies/" + proxy("cached").getString("id") + "/cache").body())
        .encode(), "gpt-4o-mini");

    Run imported = cli("cache", "import", "cached", cassette.toString());
    assertEquals(0, imported.code, imported.err);
    assertEquals(1, new JsonObject(imported.out).getInteger("imported"));

    Run noFile = cli("cache", "import", "cached", dir.resolve("nothing.ndjson").toString());
    assertEquals(1, noFile.code);
    says(noFile.err, "no such file");
  }

  @Test
  void logsAreTailedLiveAndExported() throws Exception {
    cli("proxies", "create", "--name", "logged", "--provider", "mock");
    CompletableFuture<Run> tail = CompletableFuture.supplyAsync(() -> cli("logs", "tail", "--proxy", "logged",
        "--count", "1"));
    // The stream is open once the first live entry reaches it; until then, ask again.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!tail.isDone() && System.nanoTime() < deadline) {
      assertEquals(200, chat("logged").statusCode());
      Thread.sleep(200);
    }
    Run tailed = tail.get(5, TimeUnit.SECONDS);
    assertEquals(0, tailed.code, tailed.err);
    JsonObject entry = new JsonObject(tailed.out.strip());
    assertEquals(proxy("logged").getString("id"), entry.getString("proxy_id"));

    Path file = dir.resolve("logs.ndjson");
    Run export = cli("logs", "export", "--format", "ndjson", "--proxy", "logged", "-o", file.toString());
    assertEquals(0, export.code, export.err);
    says(Files.readString(file), proxy("logged").getString("id"));
    String csv = cli("logs", "export", "--status", "200").out;
    assertTrue(csv.startsWith("id"), csv);
    says(csv, "gpt-4o-mini");

    Run bad = cli("logs", "export", "--format", "xml");
    assertEquals(1, bad.code);
    says(bad.err, "csv, json or ndjson");
  }

  private void awaitCached(String name) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    String path = "/api/proxies/" + proxy(name).getString("id") + "/cache";
    while (!api("GET", path).body().contains("gpt-4o-mini")) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the answer was not cached within 20 s: " + api("GET", path).body());
      }
      Thread.sleep(100);
    }
  }

  private record Run(int code, String out, String err) {
  }

  private Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> env = new HashMap<>();
    env.put("FAULTLINE_URL", url());
    env.put("FAULTLINE_TOKEN", FaultlineHarness.ADMIN_TOKEN);
    int code = Cli.execute(args, env, e -> {
      throw new AssertionError("a client command must not serve");
    }, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  private String url() {
    return "http://127.0.0.1:" + faultline.adminPort();
  }

  private JsonObject proxy(String name) {
    return new JsonArray(api("GET", "/api/proxies").body()).stream().map(JsonObject.class::cast)
        .filter(p -> name.equals(p.getString("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no proxy " + name));
  }

  private HttpResponse<String> api(String method, String path) {
    return send(HttpRequest.newBuilder(URI.create(url() + path)).method(method, HttpRequest.BodyPublishers.noBody())
        .header("Authorization", FaultlineHarness.adminAuthorization()));
  }

  private HttpResponse<String> chat(String name) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy(name).getInteger("port")
            + "/v1/chat/completions"))
        .header("Authorization", "Bearer sk-test").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
