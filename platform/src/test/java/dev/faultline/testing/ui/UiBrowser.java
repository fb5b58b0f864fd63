package dev.faultline.testing.ui;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The machine's headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which
 * .ci/run installs) driven by Selenium, with the waits a test of a live page needs. Nothing is
 * downloaded: both paths are given, so Selenium Manager never looks for a browser or driver.
 */
public final class UiBrowser implements AutoCloseable {

  public static final String CHROMIUM = "/usr/bin/chromium";
  public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  /** Laptop width first, as the dashboard is designed. */
  public static final int WIDTH = 1400;
  private static final Duration WAIT = Duration.ofSeconds(15);

  private final ChromeDriver driver;
  private final Path downloads;

  private UiBrowser(ChromeDriver driver, Path downloads) {
    this.driver = driver;
    this.downloads = downloads;
  }

  /**
   * A new browser with its own profile in {@code profile}, saving downloads without asking into
   * {@code profile/downloads} (headless Chromium otherwise drops them). Without Chromium the test
   * is skipped with a message on a developer's machine, and fails in CI ({@code CI} set).
   */
  public static UiBrowser open(Path profile) {
    boolean present = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
    if (!present && System.getenv("CI") != null) {
      fail(CHROMIUM + " or " + CHROMEDRIVER + " is missing: CI must install chromium and chromium-driver (see .ci/run)");
    }
    Assumptions.assumeTrue(present, "Skipped: the dashboard's browser tests need " + CHROMIUM + " and "
        + CHROMEDRIVER + " (apt-get install chromium chromium-driver)");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort()
        .build();
    Path downloads = profile.resolve("downloads").toAbsolutePath();
    ChromeOptions options = new ChromeOptions()
        .setBinary(CHROMIUM)
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--user-data-dir=" + profile.toAbsolutePath());
    options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
        "download.prompt_for_download", false));
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(new Dimension(WIDTH, 1000));
    return new UiBrowser(driver, downloads);
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** Where a link's download lands (the folder is made by the first one). */
  public Path downloads() {
    return downloads;
  }

  /** The window at {@code width} x {@code height} CSS pixels, e.g. a phone's 390 x 844. */
  public void resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  /** Back to the laptop width the dashboard is designed for first. */
  public void laptop() {
    resize(WIDTH, 1000);
  }

  public void go(String url) {
    driver.get(url);
  }

  /**
   * Polls until {@code probe} gives a value other than null or false (a page element that may be
   * re-rendered under it is looked up again each time); fails naming what never appeared, with the
   * page's text.
   */
  public <T> T waitFor(String what, Supplier<T> probe) {
    return waitFor(what, WAIT, probe);
  }

  /** {@link #waitFor(String, Supplier)} for up to {@code wait}: what the page polls on a slower beat (charts). */
  public <T> T waitFor(String what, Duration wait, Supplier<T> probe) {
    Instant deadline = Instant.now().plus(wait);
    WebDriverException last = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        T value = probe.get();
        if (value != null && !Boolean.FALSE.equals(value)) {
          return value;
        }
      } catch (WebDriverException e) {
        last = e; // re-rendered while read: look again
      }
      sleep(100);
    }
    throw new AssertionError("waited " + wait.toSeconds() + " s for " + what + "; the page at "
        + driver.getCurrentUrl() + " shows:\n" + driver.findElement(By.tagName("body")).getText(), last);
  }

  /** The first displayed element {@code locator} finds, or null. */
  public WebElement visible(By locator) {
    return driver.findElements(locator).stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
  }

  /** Waits for an element with {@code data-testid} {@code id} to be displayed. */
  public WebElement shown(String testId) {
    return waitFor("[data-testid=" + testId + "]", () -> visible(testId(testId)));
  }

  public static By testId(String id) {
    return By.cssSelector("[data-testid='" + id + "']");
  }

  public String textOf(By locator) {
    WebElement element = visible(locator);
    return element == null ? null : element.getText().trim();
  }

  @Override
  public void close() {
    driver.quit();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
