package dev.faultline.testing.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A picture of every screen a browser test visits, at the page's full height, written on every
 * run (pass or fail) to {@code platform/target/screenshots/<test>/<nn>-<screen>.png}, numbered in
 * the order they were taken, so a run can be looked through afterwards (and CI can keep them).
 */
public final class Screenshots {

  /** Maven points this at target/screenshots; run elsewhere, it is target/screenshots of the working folder. */
  public static final Path ROOT = Path.of(System.getProperty("faultline.test.screenshots", "target/screenshots"));
  private static final int MAX_HEIGHT = 4000;

  private final Path folder;
  private int taken;

  /** @param test names the folder, e.g. the test class and method */
  public Screenshots(String test) {
    this.folder = ROOT.resolve(test.replaceAll("[^A-Za-z0-9._-]", "_"));
    try {
      Files.createDirectories(folder);
      try (var old = Files.list(folder)) {
        for (Path file : old.filter(f -> f.toString().endsWith(".png")).toList()) {
          Files.delete(file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + folder, e);
    }
  }

  /** Takes the screen the browser shows now, named {@code screen}; returns the file. */
  public Path take(UiBrowser browser, String screen) {
    ChromeDriver driver = browser.driver();
    Number height = (Number) driver.executeScript("return document.documentElement.scrollHeight");
    // As wide as the window is now (a phone-width screen stays one), as tall as the page.
    Number width = (Number) driver.executeScript("return window.innerWidth");
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width.intValue(),
        "height", Math.max(600, Math.min(height.intValue(), MAX_HEIGHT)), "deviceScaleFactor", 1, "mobile", false));
    try {
      Path file = folder.resolve(String.format("%02d-%s.png", ++taken, screen.replaceAll("[^A-Za-z0-9._-]", "_")));
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the screenshot of " + screen, e);
    } finally {
      driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }
  }

  public Path folder() {
    return folder;
  }
}
