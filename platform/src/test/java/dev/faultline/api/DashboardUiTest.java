package dev.faultline.api;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static dev.faultline.testing.ui.UiBrowser.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.testing.ui.AxeCheck;
import dev.faultline.testing.ui.Screenshots;
import dev.faultline.testing.ui.UiBrowser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in the machine's headless Chromium against one whole Faultline (temporary data
 * dir, free ports, a demo proxy), driven as a person drives it and checked against what the
 * proxies and the admin API really did. Every screen visited is photographed
 * (target/screenshots/DashboardUiTest-&lt;test&gt;/) and checked by axe-core: a serious or critical
 * violation fails the test, all of them listed at the end so one run shows every problem.
 * Each test starts signed out and makes its own proxies, so they run in any order.
 */
@ExtendWith(VertxExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class DashboardUiTest {

  /** The series of the 1 h window is asked for every 10 s: a chart may take that long to show a request. */
  private static final Duration CHART = Duration.ofSeconds(40);

  /** Cassettes the test writes for the file picker. */
  private Path files;
  private Faultline faultline;
  private WebClient client;
  private UiBrowser browser;
  private String dashboard;
  private Screenshots screenshots;
  private final List<String> inaccessible = new ArrayList<>();

  /** One Faultline and one browser for the class, each in its own folder of {@code temp}. */
  @BeforeAll
  void start(Vertx vertx, @TempDir Path temp) throws IOException {
    files = Files.createDirectories(temp.resolve("files"));
    Path dataDir = Files.createDirectories(temp.resolve("data"));
    browser = UiBrowser.open(Files.createDirectories(temp.resolve("browser")));
    assertNotNull(getClass().getClassLoader().getResource(DashboardRoutes.WEBROOT + "/index.html"),
        "the built dashboard is not on the classpath: build webapp/ first (mvn package from the top)");
    faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir).withDemoPort(FaultlineHarness.freePort())));
    client = FaultlineHarness.client(vertx);
    dashboard = "http://127.0.0.1:" + faultline.adminPort();
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (faultline != null) {
      await(faultline.stop());
    }
  }

  /** Signed out, at laptop width, in the light theme. */
  @BeforeEach
  void signedOut(TestInfo test) {
    screenshots = new Screenshots(getClass().getSimpleName() + "-" + test.getTestMethod().orElseThrow().getName());
    inaccessible.clear();
    browser.laptop();
    browser.go(dashboard + "/login");
    browser.driver().manage().deleteAllCookies();
    browser.driver().executeScript("localStorage.clear()");
  }

  /**
   * The flow: sign in → create a proxy → traffic to its port → in the console and the
   * charts → a scenario → errors, the fault window and the change marked → a row's details →
   * exports → cassette import → stop; with every screen on the way, a phone-width and a dark one.
   */
  @Test
  void aPersonsDayFromSignInToStoppingTheProxy() throws IOException {
    publicScreens();
    browser.go(dashboard + "/");
    signIn("sign-in");
    assertEquals(dashboard + "/", browser.driver().getCurrentUrl(), "signed in, the page goes back to where it was opened");
    assertEquals(FaultlineHarness.ADMIN_EMAIL, browser.textOf(testId("nav-email")), "the sidebar shows who is signed in");
    screen("overview", "overview");

    navigate("proxies");
    JsonObject proxy = createProxyInTheForm("flow");
    String id = proxy.getString("id");
    int port = proxy.getInteger("port");
    theSameNameIsRefusedInPlace("flow");

    browser.visible(By.cssSelector("[data-testid='proxy-row-flow'] a")).click();
    browser.shown("proxy-detail");
    assertTrue(browser.driver().getCurrentUrl().endsWith("/proxies/" + id), browser.driver().getCurrentUrl());
    browser.waitFor("the live traffic connected", () -> "live".equals(browser.textOf(testId("stream-state"))));

    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> answer = chat(port, "hello " + i);
      assertEquals(200, answer.statusCode(), answer.bodyAsString());
      sent.add(requestId(answer));
    }
    WebElement row = trafficRow(sent.get(2));
    assertTrue(row.getText().contains("/v1/chat/completions") && row.getText().contains("200"), row.getText());
    chartShows("2xx/s");
    screen("proxy-charts-and-traffic", "chart-traffic");

    tab("playground");
    // The proxy asks every caller for a key; the playground sends the one typed for this request only.
    browser.shown("playground").findElement(By.name("api_key")).sendKeys("sk-test");
    browser.shown("playground-send").click();
    assertEquals("HTTP 200", browser.waitFor("the playground's answer", () -> browser.textOf(testId("playground-status"))));
    screen("proxy-playground", "playground-answer");

    JsonArray faults = applyTheRateLimitStorm(id);
    assertEquals(List.of("rate-limit", "http-error"), faults.stream().map(f -> ((JsonObject) f).getString("strategy"))
        .toList(), faults.encode());

    tab("charts");
    String limited = null;
    // The limiter lets a full bucket of 30 through at once, then refuses: some request of the next 60 is a 429.
    for (int i = 0; i < 60 && limited == null; i++) {
      HttpResponse<Buffer> answer = chat(port, "storm " + i);
      sent.add(requestId(answer));
      if (answer.statusCode() == 429) {
        limited = requestId(answer);
        assertNotNull(answer.getHeader("retry-after"), "the storm's 429 says when to retry");
      }
    }
    assertNotNull(limited, "60 requests in a rate-limit storm of 30 a minute and none was refused");
    WebElement refused = trafficRow(limited);
    assertTrue(refused.getText().contains("429"), refused.getText());
    chartShows("4xx/s");
    WebElement window = browser.waitFor("the fault window marked on the chart", CHART,
        () -> browser.visible(By.cssSelector("[data-testid=proxy-charts] [data-testid=fault-window]")));
    // The window names the strategies that faulted requests in it: the storm's limiter, its 429s, or both.
    assertTrue(window.getText().matches("faults (HTTP error|Rate limit).*"), window.getText());
    assertNotNull(browser.visible(By.cssSelector("[data-testid=proxy-charts] [data-testid=annotation]")),
        "saving the faults is marked on the time axis");
    screen("proxy-charts-fault-window", "fault-window");

    trafficRow(limited).click();
    WebElement detail = browser.shown("entry-detail");
    assertTrue(detail.getText().contains(limited), detail.getText());
    assertTrue(detail.getText().contains("429"), detail.getText());
    screen("request-details", "entry-detail");

    exportsHoldEveryRequest(id, sent);

    importCassettes(proxy);

    tab("ip");
    screen("proxy-ip-rules", "ip-panel");
    tab("settings");
    screen("proxy-settings", "provider-options");

    otherScreens();
    phoneAndDarkTheme();

    stopAndDelete(proxy);
    accessible();
  }

  /** The old flow's first checks, on a deep link: the page opened before signing in opens again after. */
  @Test
  void faultsSetInTheFormAreWhatTheProxyInjects() {
    JsonObject proxy = await(FaultlineHarness.createProxy(client, faultline, new JsonObject().put("name", "deep-link")
        .put("provider", "mock")));
    String faultsTab = "/proxies/" + proxy.getString("id") + "/faults";
    browser.go(dashboard + faultsTab);
    browser.waitFor("the sign-in page, keeping the deep link", () -> browser.driver().getCurrentUrl()
        .equals(dashboard + "/login?next=" + URLEncoder.encode(faultsTab, StandardCharsets.UTF_8)));
    signIn("sign-in-deep-link");
    browser.waitFor("the deep link opened again after signing in",
        () -> browser.driver().getCurrentUrl().equals(dashboard + faultsTab));
    browser.shown("faults-panel");

    browser.shown("fault-add").click();
    WebElement entry = browser.shown("fault-entry");
    entry.findElement(By.cssSelector("[data-testid=fault-strategy] option[value='http-error']")).click();
    WebElement status = browser.shown("param-status");
    status.sendKeys("42");
    browser.shown("faults-invalid");
    assertFalse(browser.driver().findElement(testId("faults-save")).isEnabled(), "an out-of-range status must not be saved");
    screen("faults-refused", "faults-invalid");
    status.sendKeys("9");
    browser.waitFor("the form accepting status 429", () -> browser.driver().findElements(testId("faults-invalid")).isEmpty());
    assertTrue(browser.textOf(testId("faults-preview")).contains("429"), browser.textOf(testId("faults-preview")));
    screen("faults-form", "faults-panel");
    browser.driver().findElement(testId("faults-save")).click();

    JsonArray saved = browser.waitFor("the faults stored", () -> {
      JsonArray list = faultsOf(proxy.getString("id"));
      return list.isEmpty() ? null : list;
    });
    JsonObject fault = saved.getJsonObject(0);
    assertEquals("http-error", fault.getString("strategy"), saved.encode());
    assertEquals(1.0, fault.getDouble("rate"), saved.encode());
    assertEquals(429, fault.getJsonObject("params").getInteger("status"), saved.encode());

    tab("traffic");
    browser.waitFor("the live traffic connected", () -> "live".equals(browser.textOf(testId("stream-state"))));
    HttpResponse<Buffer> answer = chat(proxy.getInteger("port"), "faulted");
    assertEquals(429, answer.statusCode(), answer.bodyAsString());
    WebElement row = trafficRow(requestId(answer));
    assertTrue(row.getText().contains("429") && row.getText().contains("http-error"), row.getText());
    screen("traffic-faulted", "traffic-table");
    accessible();
  }

  /** The screens before signing in. */
  private void publicScreens() {
    browser.go(dashboard + "/register");
    screen("register", "register-form");
    browser.go(dashboard + "/reset");
    screen("reset-password", "reset-form");
  }

  /** Without a session the page shows the sign-in form; the email and password are typed into it and sent. */
  private void signIn(String screen) {
    WebElement form = browser.shown("signin-form");
    assertTrue(browser.driver().getCurrentUrl().startsWith(dashboard + "/login"), "no session shows the sign-in page: "
        + browser.driver().getCurrentUrl());
    screen(screen, "signin-form");
    form.findElement(By.name("email")).sendKeys(FaultlineHarness.ADMIN_EMAIL);
    form.findElement(By.name("password")).sendKeys(FaultlineHarness.ADMIN_PASSWORD);
    form.findElement(testId("signin-submit")).click();
    browser.shown("top-nav");
  }

  private JsonObject createProxyInTheForm(String name) {
    screen("proxies", "create-proxy-form");
    fillCreateForm(name);
    browser.waitFor("the new proxy listed as running", () -> "running".equals(statusOf(name)));
    JsonObject proxy = proxyNamed(name);
    assertEquals("running", proxy.getString("status"), proxy.encode());
    assertTrue(listening(proxy.getInteger("port")), "the proxy made in the form listens on its port");
    screen("proxies-created", "proxy-table");
    return proxy;
  }

  /** The API's refusal is shown as it was said, naming the field, and nothing is stored. */
  private void theSameNameIsRefusedInPlace(String name) {
    int before = proxies().size();
    fillCreateForm(name);
    WebElement refusal = browser.shown("create-error");
    assertTrue(refusal.getText().contains("409") && refusal.getText().contains("field: name"), refusal.getText());
    assertEquals(before, proxies().size(), "the refused proxy must not be stored");
    screen("proxies-refused", "create-error");
  }

  private void fillCreateForm(String name) {
    WebElement form = browser.shown("create-proxy-form");
    WebElement field = form.findElement(By.name("name"));
    retype(field, name);
    form.findElement(By.cssSelector("select[name=provider] option[value=mock]")).click();
    form.findElement(testId("create-proxy")).click();
  }

  /**
   * One click sets a realistic list in the form, which says in words what it will do; nothing is
   * in effect until saved. Returns the faults the API stored.
   */
  private JsonArray applyTheRateLimitStorm(String id) {
    tab("faults");
    browser.shown("faults-panel");
    browser.shown("scenario-rate-limit-storm").click();
    browser.waitFor("the scenario's two entries in the form", () -> browser.driver().findElements(testId("fault-entry")).size() == 2);
    String preview = browser.textOf(testId("faults-preview"));
    assertTrue(preview.contains("429") && preview.contains("20%"), preview);
    assertTrue(faultsOf(id).isEmpty(), "a scenario is only applied to the form until it is saved");
    screen("faults-scenario", "faults-panel");
    browser.driver().findElement(testId("faults-save")).click();
    return browser.waitFor("the scenario's faults stored", () -> {
      JsonArray list = faultsOf(id);
      return list.isEmpty() ? null : list;
    });
  }

  /**
   * Each export link downloads the proxy's rows: every request sent is in each file, and the JSON
   * and NDJSON hold exactly as many rows as the log has.
   */
  private void exportsHoldEveryRequest(String id, List<String> sent) throws IOException {
    // The playground's request is the one more.
    int rows = browser.waitFor("every request in the proxy's log", () -> {
      int logged = logLines(id);
      return logged == sent.size() + 1 ? logged : null;
    });
    for (String format : List.of("csv", "json", "ndjson")) {
      browser.shown("export-" + format).click();
      String text = downloaded("faultline-logs." + format);
      for (String requestId : sent) {
        assertTrue(text.contains(requestId), "the " + format + " export lacks request " + requestId);
      }
      switch (format) {
        case "json" -> assertEquals(rows, new JsonArray(text).size(), text);
        case "ndjson" -> assertEquals(rows, text.lines().filter(l -> !l.isBlank()).map(JsonObject::new).count(), text);
        default -> assertTrue(text.lines().findFirst().orElse("").contains("request_id"), "the CSV starts with its header");
      }
    }
  }

  /**
   * A cassette recorded by another proxy of the same provider loads through the file picker and
   * its entry is listed; a file that is no cassette shows the API's own message.
   */
  private void importCassettes(JsonObject proxy) throws IOException {
    Path good = recordCassette();
    Path bad = Files.writeString(files.resolve("notes.ndjson"), "{\"hello\":\"not a cassette\"}\n");
    String refusal = expect(await(client.post(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + proxy.getString("id")
        + "/cache/import").putHeader("content-type", "application/x-ndjson").sendBuffer(Buffer.buffer(Files
        .readString(bad)))), 400).bodyAsJsonObject().getJsonObject("error").getString("message");

    tab("cache");
    browser.shown("cache-panel");
    assertTrue(browser.driver().findElements(testId("cache-row")).isEmpty(), "the new proxy's cache starts empty");
    cassetteFile().sendKeys(good.toString());
    WebElement entry = browser.shown("cache-row");
    assertTrue(entry.getText().contains("gpt-4o-mini"), entry.getText());
    screen("proxy-cache-imported", "cache-row");

    cassetteFile().sendKeys(bad.toString());
    WebElement error = browser.shown("import-error");
    assertTrue(error.getText().contains(refusal), "the page shows the API's message '" + refusal + "': " + error.getText());
    screen("proxy-cache-refused", "import-error");
  }

  /** The demo proxy's cache on, one answer recorded, exported through the admin API to a file. */
  private Path recordCassette() throws IOException {
    JsonObject demo = proxyNamed("demo");
    expect(await(client.patch(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + demo.getString("id"))
        .sendJsonObject(new JsonObject().put("cache", new JsonObject().put("enabled", true)))), 200);
    HttpResponse<Buffer> answer = chat(demo.getInteger("port"), "recorded for the cassette");
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    String cassette = browser.waitFor("the demo proxy's answer in its cassette", () -> {
      String text = expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + demo.getString("id")
          + "/cache/export").send()), 200).bodyAsString();
      return text.contains("request_digest") ? text : null;
    });
    return Files.writeString(files.resolve("recorded.ndjson"), cassette);
  }

  /** The picker's input is visually hidden (the button opens it); a file is given to it as a person's pick would. */
  private WebElement cassetteFile() {
    return browser.waitFor("the cassette file input", () -> browser.driver().findElements(testId("cassette-file")).stream()
        .findFirst().orElse(null));
  }

  /** The remaining screens, reached by the sidebar's links as a person moves (a reload would reopen every stream). */
  private void otherScreens() {
    navigate("logs");
    screen("logs", "traffic-table");
    navigate("plugins");
    screen("plugins", "plugin-table");
    navigate("playground");
    screen("playground", "playground");
    navigate("tokens");
    screen("api-tokens", "token-form");
    navigate("audit");
    screen("audit", "audit-table");
    navigate("users");
    screen("users", "user-table");
    browser.shown("nav-account").click();
    screen("account", "password-form");
  }

  /** Laptop width first, usable on a phone (the sidebar folds into a menu); dark and light themes. */
  private void phoneAndDarkTheme() {
    navigate("proxies");
    browser.shown("proxy-table");
    browser.shown("theme").click();
    browser.waitFor("the dark theme on", () -> (Boolean) browser.driver()
        .executeScript("return document.documentElement.classList.contains('dark')"));
    screen("proxies-dark", "proxy-table");
    browser.shown("theme").click();
    browser.waitFor("the light theme back", () -> !(Boolean) browser.driver()
        .executeScript("return document.documentElement.classList.contains('dark')"));

    browser.resize(390, 844);
    browser.waitFor("the sidebar folded on a phone", () -> browser.visible(testId("top-nav")) == null);
    screen("proxies-phone", "proxies-page");
    browser.visible(By.cssSelector("button[aria-controls=main-nav]")).click();
    screen("menu-phone", "top-nav");
    browser.laptop();
    browser.shown("top-nav");
  }

  /**
   * Stopped from its row, the proxy shows stopped and closes its port; the others keep running;
   * a stop made elsewhere is shown without touching the page; a delete asks first.
   */
  private void stopAndDelete(JsonObject proxy) {
    String name = proxy.getString("name");
    browser.waitFor("the proxy's row", () -> browser.visible(testId("proxy-row-" + name)))
        .findElement(testId("stop")).click();
    browser.waitFor("the proxy listed as stopped", () -> "stopped".equals(statusOf(name)));
    assertEquals("stopped", proxyNamed(name).getString("status"));
    assertFalse(listening(proxy.getInteger("port")), "a proxy stopped from the dashboard must close its port");
    assertEquals("running", statusOf("demo"), "stopping one proxy must leave the others running");
    screen("proxies-stopped", "proxy-table");

    expect(await(client.post(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + proxyNamed("demo").getString("id")
        + "/stop").send()), 200);
    browser.waitFor("the demo proxy's stop, made through the API, shown live", () -> "stopped".equals(statusOf("demo")));

    int before = proxies().size();
    WebElement delete = browser.visible(testId("proxy-row-" + name)).findElement(testId("delete"));
    delete.click();
    assertEquals("Really delete?", delete.getText(), "a delete asks before it deletes");
    assertEquals(before, proxies().size(), "nothing is deleted on the first click");
    delete.click();
    browser.waitFor("the deleted proxy gone from the list", () -> statusOf(name) == null);
    assertEquals(before - 1, proxies().size());
  }

  /** The chart over time has drawn the traffic: its legend names a status class only seen in the data. */
  private void chartShows(String line) {
    browser.waitFor("'" + line + "' on the traffic chart", CHART, () -> {
      String legend = browser.textOf(By.cssSelector("[data-testid=proxy-charts] [data-testid=chart-traffic] figcaption"));
      return legend != null && legend.contains(line);
    });
    assertNotNull(browser.visible(By.cssSelector("[data-testid=chart-traffic] canvas")), "uPlot drew the chart");
  }

  /** The request the proxy answered, found by the request id it answered with, in the live console. */
  private WebElement trafficRow(String requestId) {
    return browser.waitFor("request " + requestId + " in the traffic console", () -> browser.driver()
        .findElements(testId("traffic-row")).stream()
        .filter(r -> requestId.equals(r.findElement(By.cssSelector("td:nth-child(3)")).getAttribute("title")))
        .findFirst().orElse(null));
  }

  private void tab(String name) {
    browser.shown("tab-" + name).click();
  }

  private void navigate(String name) {
    browser.shown("nav-" + name).click();
  }

  /**
   * Waits for the screen's landmark, photographs it and checks its accessibility; what axe finds
   * is reported at the end, so one run photographs every screen and lists every problem.
   */
  private void screen(String name, String landmark) {
    browser.shown(landmark);
    screenshots.take(browser, name);
    String problems = AxeCheck.problems(browser, name);
    if (!problems.isEmpty()) {
      inaccessible.add(problems);
    }
  }

  private void accessible() {
    assertTrue(inaccessible.isEmpty(), inaccessible.size() + " screen(s) with serious accessibility problems (see "
        + screenshots.folder() + "):\n" + String.join("\n", inaccessible));
  }

  /** The status the row shows, or null while the row is not there. */
  private String statusOf(String name) {
    WebElement row = browser.visible(testId("proxy-row-" + name));
    return row == null ? null : row.findElement(testId("proxy-status")).getText().trim();
  }

  /** Waits for a finished download named {@code name} (Chromium writes a .crdownload until then). */
  private String downloaded(String name) {
    Path file = browser.downloads().resolve(name);
    browser.waitFor(name + " downloaded into " + browser.downloads(), () -> Files.isRegularFile(file)
        && !Files.exists(browser.downloads().resolve(name + ".crdownload")));
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private int logLines(String proxyId) {
    return (int) expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/logs?export=ndjson&proxy=" + proxyId)
        .send()), 200).bodyAsString().lines().filter(l -> !l.isBlank()).count();
  }

  private JsonArray faultsOf(String proxyId) {
    return expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + proxyId + "/faults").send()), 200)
        .bodyAsJsonArray();
  }

  private JsonArray proxies() {
    return expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/proxies").send()), 200).bodyAsJsonArray();
  }

  private JsonObject proxyNamed(String name) {
    JsonArray proxies = proxies();
    return proxies.stream().map(JsonObject.class::cast).filter(p -> name.equals(p.getString("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no proxy named " + name + " in " + proxies.encode()));
  }

  private HttpResponse<Buffer> chat(int port, String message) {
    JsonObject body = new JsonObject().put("model", "gpt-4o-mini")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", message)));
    return await(client.post(port, "127.0.0.1", "/v1/chat/completions").putHeader("Authorization", "Bearer sk-test")
        .sendJsonObject(body));
  }

  private static String requestId(HttpResponse<Buffer> answer) {
    String id = answer.getHeader("x-request-id");
    assertNotNull(id, "every answer carries its request id");
    assertFalse(id.isBlank());
    return id;
  }

  /** Replaces a controlled input's text the way typing does (clear() alone goes unseen by React). */
  private static void retype(WebElement field, String text) {
    field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    field.sendKeys(text);
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
