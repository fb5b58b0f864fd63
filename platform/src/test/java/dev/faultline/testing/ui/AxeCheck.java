package dev.faultline.testing.ui;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * An accessibility check of the page the browser shows, by axe-core (the npm package, installed
 * by Maven from {@code platform/src/test/ui/package-lock.json} and injected into the page): fails
 * on any violation axe rates serious or critical, listing each with the elements at fault. Minor
 * and moderate ones are returned for a test that wants to look at them.
 */
public final class AxeCheck {

  /** Maven sets this to src/test/ui/node_modules/axe-core/axe.min.js. */
  public static final Path SCRIPT = Path.of(System.getProperty("faultline.test.axe",
      "src/test/ui/node_modules/axe-core/axe.min.js"));
  private static final Set<String> FAILING = Set.of("serious", "critical");
  private static final String RUN = """
      const done = arguments[arguments.length - 1];
      axe.run(document, {resultTypes: ['violations']})
        .then(result => done(JSON.stringify(result.violations)))
        .catch(error => done(JSON.stringify({error: String(error)})));
      """;

  private static String source;

  private AxeCheck() {
  }

  /**
   * Runs axe on the current page; fails on serious or critical violations.
   *
   * @param screen names the screen in the failure
   * @return every violation found (JSON objects as axe reports them), the minor ones included
   */
  public static List<JsonObject> assertAccessible(UiBrowser browser, String screen) {
    List<JsonObject> violations = violations(browser, screen);
    String failing = failing(violations);
    if (!failing.isEmpty()) {
      throw new AssertionError(failing(screen, browser, failing));
    }
    return violations;
  }

  /**
   * The serious and critical violations of the current page, described for a failure message;
   * empty when there are none. For a test that checks several screens and reports them all at
   * once.
   */
  public static String problems(UiBrowser browser, String screen) {
    String failing = failing(violations(browser, screen));
    return failing.isEmpty() ? "" : failing(screen, browser, failing);
  }

  /** Every violation axe finds on the current page, as it reports them. */
  public static List<JsonObject> violations(UiBrowser browser, String screen) {
    ChromeDriver driver = browser.driver();
    // A page that navigated (or reloaded) has lost what was injected before.
    if (!Boolean.TRUE.equals(driver.executeScript("return typeof window.axe === 'object'"))) {
      driver.executeScript(script());
    }
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    String raw = (String) driver.executeAsyncScript(RUN);
    if (raw.startsWith("{")) {
      throw new AssertionError("axe-core could not check " + screen + ": " + new JsonObject(raw).getString("error"));
    }
    List<JsonObject> violations = new ArrayList<>();
    new JsonArray(raw).forEach(v -> violations.add((JsonObject) v));
    return violations;
  }

  private static String failing(List<JsonObject> violations) {
    return String.join("\n", violations.stream().filter(v -> FAILING.contains(v.getString("impact")))
        .map(AxeCheck::describe).toList());
  }

  private static String failing(String screen, UiBrowser browser, String described) {
    return "accessibility of " + screen + " (" + browser.driver().getCurrentUrl() + "), serious or critical:\n"
        + described;
  }

  private static String describe(JsonObject violation) {
    StringBuilder text = new StringBuilder("- ").append(violation.getString("impact")).append(' ')
        .append(violation.getString("id")).append(": ").append(violation.getString("help"))
        .append(" (").append(violation.getString("helpUrl")).append(')');
    JsonArray nodes = violation.getJsonArray("nodes", new JsonArray());
    for (int i = 0; i < Math.min(nodes.size(), 5); i++) {
      JsonObject node = nodes.getJsonObject(i);
      text.append("\n    at ").append(node.getJsonArray("target", new JsonArray()).encode()).append(' ')
          .append(cap(node.getString("html", "")));
    }
    if (nodes.size() > 5) {
      text.append("\n    and ").append(nodes.size() - 5).append(" more");
    }
    return text.toString();
  }

  private static String cap(String html) {
    return html.length() > 160 ? html.substring(0, 160) + "…" : html;
  }

  private static synchronized String script() {
    if (source == null) {
      if (!Files.isReadable(SCRIPT)) {
        throw new AssertionError(SCRIPT.toAbsolutePath() + " is missing: Maven installs axe-core there (npm ci in "
            + "platform/src/test/ui, phase generate-test-resources); run the tests through Maven");
      }
      try {
        source = Files.readString(SCRIPT);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return source;
  }
}
