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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * A person's day with the dashboard, in the machine's Chromium against a whole Faultline started
 * on a temporary data dir: every screen is photographed (target/screenshots/) and checked by
 * axe-core (no serious or critical violation), and the traffic flow is checked against what the
 * proxy and the admin API really did. Each step is one method, in the order a person takes them,
 * so a screen the dashboard gains is one more step.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DashboardScreensTest {

  @TempDir
  Path dataDir;
  @TempDir
  Path browserProfile;

  private Faultline faultline;
  private WebClient client;
  private UiBrowser browser;
  private Screenshots screenshots;
  private String dashboard;
  private final List<String> inaccessible = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx, TestInfo test) {
    browser = UiBrowser.open(browserProfile);
    screenshots = new Screenshots(getClass().getSimpleName() + "-" + test.getTestMethod().orElseThrow().getName());
    faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir)));
    client = FaultlineHarness.client(vertx);
    dashboard = "http://127.0.0.1:" + faultline.adminPort();
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (faultline != null) {
      await(faultline.stop());
    }
  }

  @Test
  void createSendTrafficFaultItWatchItAndStopIt() {
    publicScreens();
    signIn();
    JsonObject proxy = createProxyInTheForm("flow");
    int port = proxy.getInteger("port");
    String healthy = chat(port, 200);
    openProxy(proxy);
    seeInTheConsole(healthy, "200");
    faultEveryRequestWith429(proxy);
    String faulted = chat(port, 429);
    seeInTheConsole(faulted, "429");
    seeTheFaultWindowInTheSeries(proxy);
    proxyTabs();
    accountScreens();
    stopTheProxy(proxy);
    assertTrue(inaccessible.isEmpty(), inaccessible.size() + " screen(s) with serious accessibility problems (see "
        + screenshots.folder() + "):\n" + String.join("\n", inaccessible));
  }

  /** The screens before signing in. */
  private void publicScreens() {
    browser.go(dashboard + "/register");
    screen("register", "register-form");
    browser.go(dashboard + "/reset");
    screen("reset-password", "reset-form");
    browser.go(dashboard + "/");
    screen("sign-in", "signin-form");
  }

  private void signIn() {
    WebElement form = browser.shown("signin-form");
    form.findElement(By.name("email")).sendKeys(FaultlineHarness.ADMIN_EMAIL);
    form.findElement(By.name("password")).sendKeys(FaultlineHarness.ADMIN_PASSWORD);
    form.findElement(testId("signin-submit")).click();
    screen("proxies-empty", "top-nav");
  }

  private JsonObject createProxyInTheForm(String name) {
    WebElement form = browser.shown("create-proxy-form");
    form.findElement(By.name("name")).sendKeys(name);
    form.findElement(By.cssSelector("select[name=provider] option[value=mock]")).click();
    form.findElement(testId("create-proxy")).click();
    browser.waitFor("the new proxy listed as running", () -> "running".equals(statusOf(name)));
    screen("proxies", "proxy-table");
    return proxies().stream().map(JsonObject.class::cast).filter(p -> name.equals(p.getString("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("the proxy made in the form is not in the API"));
  }

  private void openProxy(JsonObject proxy) {
    browser.visible(testId("proxy-row-" + proxy.getString("name"))).click();
    browser.shown("proxy-detail");
    browser.waitFor("the live traffic connected", () -> "live".equals(browser.textOf(testId("stream-state"))));
  }

  /** The request the proxy answered, with the request id it answered with, in the live console. */
  private void seeInTheConsole(String requestId, String status) {
    WebElement row = browser.waitFor("request " + requestId + " in the console", () -> browser.driver()
        .findElements(testId("traffic-row")).stream()
        .filter(r -> r.getAttribute("outerHTML").contains(requestId)).findFirst().orElse(null));
    assertTrue(row.getText().contains(status), row.getText());
    screen("console-" + status, "traffic-table");
  }

  private void faultEveryRequestWith429(JsonObject proxy) {
    tab("Faults");
    browser.shown("faults-panel");
    browser.driver().findElement(testId("fault-add")).click();
    WebElement entry = browser.shown("fault-entry");
    entry.findElement(By.cssSelector("[data-testid=fault-strategy] option[value='http-error']")).click();
    browser.shown("param-status").sendKeys("429");
    WebElement rate = entry.findElement(testId("fault-rate"));
    rate.clear();
    rate.sendKeys("1");
    screen("faults-form", "faults-panel");
    browser.waitFor("the faults form accepting the entry",
        () -> browser.driver().findElement(testId("faults-save")).isEnabled()).equals(true);
    browser.driver().findElement(testId("faults-save")).click();
    browser.waitFor("the faults stored", () -> !expect(await(client.get(faultline.adminPort(), "127.0.0.1",
        "/api/proxies/" + proxy.getString("id") + "/faults").send()), 200).bodyAsJsonArray().isEmpty());
  }

  /**
   * What the charts draw: the faulted request makes a fault window and the faults change an
   * annotation. Read from the API until the dashboard draws charts (then: on the chart).
   */
  private void seeTheFaultWindowInTheSeries(JsonObject proxy) {
    JsonObject series = browser.waitFor("a fault window in the proxy's series", () -> {
      JsonObject s = expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/metrics/series?window=5m&proxy="
          + proxy.getString("id")).send()), 200).bodyAsJsonObject();
      return s.getJsonArray("fault_windows").isEmpty() ? null : s;
    });
    assertEquals(new JsonArray().add("http-error"), series.getJsonArray("fault_windows").getJsonObject(0)
        .getJsonArray("strategies"));
    assertTrue(series.getJsonArray("annotations").encode().contains("faults.set"), series.encode());
  }

  /** Moves between screens as a person does, by the app's own links (a reload would reopen every live stream). */
  private void proxyTabs() {
    tab("Cache");
    screen("proxy-cache", "cache-panel");
    tab("IP rules");
    screen("proxy-ip-rules", "ip-panel");
    tab("Settings");
    screen("proxy-settings", "settings-panel");
  }

  private void accountScreens() {
    navigate("API tokens");
    screen("api-tokens", "token-form");
    navigate("Audit");
    screen("audit", "audit-table");
    navigate("Users");
    screen("users", "user-table");
    browser.shown("nav-account").click();
    screen("account", "password-form");
    navigate("Proxies");
  }

  private void tab(String name) {
    browser.shown("proxy-detail").findElement(By.xpath(".//button[normalize-space()='" + name + "']")).click();
  }

  private void navigate(String link) {
    browser.shown("top-nav").findElement(By.xpath(".//*[self::a or self::button][normalize-space()='" + link + "']"))
        .click();
  }

  private void stopTheProxy(JsonObject proxy) {
    WebElement row = browser.waitFor("the proxy's row", () -> browser.visible(testId("proxy-row-" + proxy.getString("name"))));
    row.findElement(testId("stop")).click();
    browser.waitFor("the proxy listed as stopped", () -> "stopped".equals(statusOf(proxy.getString("name"))));
    assertEquals("stopped", expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/proxies/"
        + proxy.getString("id")).send()), 200).bodyAsJsonObject().getString("status"));
    screen("proxies-stopped", "proxy-table");
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

  private String statusOf(String name) {
    WebElement row = browser.visible(testId("proxy-row-" + name));
    return row == null ? null : row.findElement(testId("proxy-status")).getText().trim();
  }

  private JsonArray proxies() {
    return expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/proxies").send()), 200).bodyAsJsonArray();
  }

  /** A chat through the proxy; returns the request id it answered with. */
  private String chat(int port, int status) {
    HttpResponse<Buffer> answer = await(client.post(port, "127.0.0.1", "/v1/chat/completions")
        .putHeader("Authorization", "Bearer sk-test").sendJsonObject(new JsonObject().put("model", "gpt-4o-mini")
            .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hello")))));
    assertEquals(status, answer.statusCode(), answer.bodyAsString());
    String requestId = answer.getHeader("x-request-id");
    assertNotNull(requestId);
    assertFalse(requestId.isBlank());
    return requestId;
  }
}
