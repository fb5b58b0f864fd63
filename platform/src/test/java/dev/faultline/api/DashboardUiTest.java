package dev.faultline.api;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real browser (the machine's headless Chromium) against a whole Faultline:
 * what a person does on first open, checked against what the admin API and the proxies really do.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardUiTest {

  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Path SCREENSHOT = Path.of("target", "dashboard.png");
  // The first admin the harness creates from configuration (FAULTLINE_ADMIN_EMAIL / _PASSWORD).
  static final String ADMIN_EMAIL = "admin@faultline.test";
  static final String ADMIN_PASSWORD = "correct-horse-battery-staple";

  @TempDir
  Path dataDir;
  @TempDir
  Path browserProfile;

  private Faultline faultline;
  private WebClient client;
  private ChromeDriver browser;
  private String dashboard;
  /** The admin's session token, for the test's own admin API calls (the page uses its cookie). */
  private String apiToken;

  @BeforeEach
  void start(Vertx vertx) {
    requireBrowser();
    assertNotNull(getClass().getClassLoader().getResource(DashboardRoutes.WEBROOT + "/index.html"),
        "the built dashboard is not on the classpath: build webapp/ first (mvn install from the top)");
    faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir).withDemoPort(FaultlineHarness.freePort())));
    client = FaultlineHarness.client(vertx);
    dashboard = "http://127.0.0.1:" + faultline.adminPort();
    apiToken = expect(await(client.post(faultline.adminPort(), "127.0.0.1", "/api/auth/login")
        .sendJsonObject(new JsonObject().put("email", ADMIN_EMAIL).put("password", ADMIN_PASSWORD))), 200)
        .bodyAsJsonObject().getString("token");
    browser = openBrowser();
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (faultline != null) {
      await(faultline.stop());
    }
  }

  @Test
  void createProxyWatchItsTrafficAndStopIt() throws IOException {
    browser.get(dashboard + "/");
    signIn();
    assertEquals(dashboard + "/", browser.getCurrentUrl(), "signed in, the page goes back to where it was opened");
    assertEquals(ADMIN_EMAIL, textOf(By.cssSelector("[data-testid=nav-email]")), "the top bar shows who is signed in");
    waitFor("the demo proxy listed as running", () -> "running".equals(statusOf("demo")));

    int port = FaultlineHarness.freePort();
    fillCreateForm("made-in-ui", "mock", String.valueOf(port));
    waitFor("the new proxy listed as running", () -> "running".equals(statusOf("made-in-ui")));
    JsonObject created = proxyNamed("made-in-ui");
    assertEquals("running", created.getString("status"), created.encode());
    assertEquals(port, created.getInteger("port"), created.encode());

    // The same name again: the API's refusal is shown as it was said, naming the field.
    fillCreateForm("made-in-ui", "mock", "");
    WebElement refusal = waitFor("the create form's error", () -> visible(By.cssSelector("[data-testid=create-error]")));
    assertTrue(refusal.getText().contains("409") && refusal.getText().contains("field: name"), refusal.getText());
    assertEquals(2, proxies().size(), "the refused proxy must not be stored");

    row("made-in-ui").click();
    waitFor("the detail of the proxy", () -> visible(By.cssSelector("[data-testid=proxy-detail]")));
    assertTrue(browser.getCurrentUrl().endsWith("/proxies/" + created.getString("id")), browser.getCurrentUrl());
    waitFor("the live log stream connected", () -> "live".equals(textOf(By.cssSelector("[data-testid=stream-state]"))));

    HttpResponse<Buffer> answer = chat(port, "dashboard-model");
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    String requestId = answer.getHeader("x-request-id");
    WebElement traffic = waitFor("the request in the live traffic view", () -> trafficRow(requestId));
    assertTrue(traffic.getText().contains("/v1/chat/completions") && traffic.getText().contains("dashboard-model")
        && traffic.getText().contains("200"), traffic.getText());
    waitFor("the request counted in the proxy's metrics", () -> textOf(By.cssSelector("[data-testid=metric-rps]"))
        .contains("1 in 1m"));

    within(row("made-in-ui"), By.cssSelector("[data-testid=stop]")).click();
    waitFor("the proxy listed as stopped", () -> "stopped".equals(statusOf("made-in-ui")));
    assertEquals("stopped", proxyNamed("made-in-ui").getString("status"));
    assertFalse(listening(port), "a proxy stopped from the dashboard must close its port");
    assertEquals("running", statusOf("demo"), "stopping one proxy must leave the others running");

    // Changed elsewhere (here: the admin API), shown without touching the page.
    expect(await(admin(client.post(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + proxyNamed("demo").getString("id")
        + "/stop")).send()), 200);
    waitFor("the demo proxy's stop, made through the API, shown live", () -> "stopped".equals(statusOf("demo")));

    screenshotWholePage();

    WebElement delete = within(row("made-in-ui"), By.cssSelector("[data-testid=delete]"));
    delete.click();
    assertEquals("Really delete?", delete.getText(), "a delete asks before it deletes");
    assertEquals(2, proxies().size(), "nothing is deleted on the first click");
    delete.click();
    waitFor("the deleted proxy gone from the list", () -> statusOf("made-in-ui") == null);
    assertEquals(List.of("demo"), proxies().stream().map(p -> ((JsonObject) p).getString("name")).toList());
  }

  @Test
  void faultsSetInTheFormAreWhatTheProxyInjects() {
    JsonObject demo = proxyNamed("demo");
    // A deep link opens the proxy's detail: the admin API serves the page for the app's own paths.
    browser.get(dashboard + "/proxies/" + demo.getString("id"));
    signIn();
    assertTrue(browser.getCurrentUrl().endsWith("/proxies/" + demo.getString("id")),
        "signed in, the deep link opens again: " + browser.getCurrentUrl());
    waitFor("the faults tab of the demo proxy", () -> visible(By.cssSelector("[data-testid=faults-panel]")));

    browser.findElement(By.cssSelector("[data-testid=fault-add]")).click();
    WebElement entry = waitFor("a new fault entry", () -> visible(By.cssSelector("[data-testid=fault-entry]")));
    choose(within(entry, By.cssSelector("[data-testid=fault-strategy]")), "http-error");
    WebElement status = waitFor("the described status parameter", () -> visible(By.cssSelector("[data-testid=param-status]")));
    status.sendKeys("42");
    waitFor("the form refusing status 42", () -> visible(By.cssSelector("[data-testid=faults-invalid]")));
    assertFalse(browser.findElement(By.cssSelector("[data-testid=faults-save]")).isEnabled(),
        "an out-of-range parameter must not be saved");
    status.sendKeys("9");
    waitFor("the form accepting status 429", () -> browser.findElements(By.cssSelector("[data-testid=faults-invalid]")).isEmpty()
        ? browser.findElement(By.cssSelector("[data-testid=faults-save]")) : null);
    browser.findElement(By.cssSelector("[data-testid=faults-save]")).click();

    JsonArray saved = waitFor("the faults stored", () -> {
      JsonArray faults = await(admin(client.get(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + demo.getString("id")
          + "/faults")).send()).bodyAsJsonArray();
      return faults.isEmpty() ? null : faults;
    });
    JsonObject fault = saved.getJsonObject(0);
    assertEquals("http-error", fault.getString("strategy"), saved.encode());
    assertEquals(1.0, fault.getDouble("rate"), saved.encode());
    assertEquals(429, fault.getJsonObject("params").getInteger("status"), saved.encode());

    HttpResponse<Buffer> answer = chat(demo.getInteger("port"), "gpt-4o-mini");
    assertEquals(429, answer.statusCode(), answer.bodyAsString());
    WebElement traffic = waitFor("the faulted request in the live traffic view", () -> trafficRow(answer.getHeader("x-request-id")));
    assertTrue(traffic.getText().contains("429") && traffic.getText().contains("http-error"), traffic.getText());
  }

  /** Chromium is installed by .ci/run; on a developer's machine without it the test says so and skips. */
  private static void requireBrowser() {
    boolean present = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
    if (!present && System.getenv("CI") != null) {
      fail(CHROMIUM + " or " + CHROMEDRIVER + " is missing: CI must install chromium and chromium-driver (see .ci/run)");
    }
    Assumptions.assumeTrue(present, "Skipped: the dashboard's browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
        + " (apt-get install chromium chromium-driver)");
  }

  private ChromeDriver openBrowser() {
    // Both paths are given, so Selenium Manager never looks for (or downloads) a browser or driver.
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort()
        .build();
    ChromeOptions options = new ChromeOptions()
        .setBinary(CHROMIUM)
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--user-data-dir=" + browserProfile.toAbsolutePath());
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(1400, 1000));
    return driver;
  }

  /** The page at its full height, to look at after a run: target/dashboard.png. */
  private void screenshotWholePage() throws IOException {
    Number height = (Number) browser.executeScript("return document.documentElement.scrollHeight");
    browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 1400,
        "height", Math.min(height.intValue(), 4000), "deviceScaleFactor", 1, "mobile", false));
    Files.createDirectories(SCREENSHOT.getParent());
    Files.write(SCREENSHOT, browser.getScreenshotAs(OutputType.BYTES));
  }

  /**
   * Signs in as a person does: without a session the page shows the sign-in form (the opened
   * path kept in ?next=); the email and password are typed into it and sent.
   */
  private void signIn() {
    WebElement form = waitFor("the sign-in form", () -> visible(By.cssSelector("[data-testid=signin-form]")));
    assertTrue(browser.getCurrentUrl().startsWith(dashboard + "/login"), "no session shows the sign-in page: "
        + browser.getCurrentUrl());
    within(form, By.name("email")).sendKeys(ADMIN_EMAIL);
    within(form, By.name("password")).sendKeys(ADMIN_PASSWORD);
    within(form, By.cssSelector("[data-testid=signin-submit]")).click();
    waitFor("the dashboard after signing in", () -> visible(By.cssSelector("[data-testid=top-nav]")));
  }

  private void fillCreateForm(String name, String provider, String port) {
    WebElement form = browser.findElement(By.cssSelector("[data-testid=create-proxy-form]"));
    WebElement nameField = within(form, By.name("name"));
    nameField.clear();
    nameField.sendKeys(name);
    choose(within(form, By.name("provider")), provider);
    WebElement portField = within(form, By.name("port"));
    portField.clear();
    portField.sendKeys(port);
    within(form, By.cssSelector("[data-testid=create-proxy]")).click();
  }

  private WebElement row(String name) {
    return browser.findElement(By.cssSelector("[data-testid='proxy-row-" + name + "']"));
  }

  /** The status the row shows, or null while the row is not there. */
  private String statusOf(String name) {
    List<WebElement> rows = browser.findElements(By.cssSelector("[data-testid='proxy-row-" + name + "']"));
    return rows.isEmpty() ? null : within(rows.get(0), By.cssSelector("[data-testid=proxy-status]")).getText().trim();
  }

  private WebElement trafficRow(String requestId) {
    return browser.findElements(By.cssSelector("[data-testid=traffic-row]")).stream()
        .filter(row -> requestId.equals(within(row, By.cssSelector("td:nth-child(3)")).getAttribute("title")))
        .findFirst().orElse(null);
  }

  private WebElement visible(By locator) {
    return browser.findElements(locator).stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
  }

  private String textOf(By locator) {
    WebElement element = visible(locator);
    return element == null ? null : element.getText().trim();
  }

  private static void choose(WebElement select, String value) {
    within(select, By.cssSelector("option[value='" + value + "']")).click();
  }

  private static WebElement within(WebElement parent, By locator) {
    return parent.findElement(locator);
  }

  private JsonArray proxies() {
    return expect(await(admin(client.get(faultline.adminPort(), "127.0.0.1", "/api/proxies")).send()), 200).bodyAsJsonArray();
  }

  /** The test's own admin API call, made as the admin. */
  private HttpRequest<Buffer> admin(HttpRequest<Buffer> request) {
    return request.putHeader("Authorization", "Bearer " + apiToken);
  }

  private JsonObject proxyNamed(String name) {
    JsonArray proxies = proxies();
    return proxies.stream().map(JsonObject.class::cast).filter(p -> name.equals(p.getString("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no proxy named " + name + " in " + proxies.encode()));
  }

  private HttpResponse<Buffer> chat(int port, String model) {
    JsonObject body = new JsonObject().put("model", model)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hello from the UI test")));
    return await(client.post(port, "127.0.0.1", "/v1/chat/completions").putHeader("Authorization", "Bearer sk-test")
        .sendJsonObject(body));
  }

  /**
   * Polls until {@code probe} gives a non-null value (a page element that may be re-rendered
   * under it is looked up again each time); fails naming what never appeared.
   */
  private <T> T waitFor(String what, Supplier<T> probe) {
    Instant deadline = Instant.now().plus(WAIT);
    WebDriverException last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        T value = probe.get();
        if (value != null && !Boolean.FALSE.equals(value)) {
          return value;
        }
      } catch (WebDriverException e) {
        last = e; // the element was re-rendered while read: look again
      }
      sleep(100);
    }
    throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what + "; the page shows:\n"
        + browser.findElement(By.tagName("body")).getText(), last);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
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
