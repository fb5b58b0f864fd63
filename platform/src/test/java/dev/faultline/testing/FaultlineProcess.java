package dev.faultline.testing;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Faultline as its own operating-system process, started the way {@code java -jar} starts it
 * ({@link Main}, the test's classpath standing in for the jar, which is packaged only after the
 * tests), so a test can kill it, signal it and start it again over the same data folder.
 */
public final class FaultlineProcess implements AutoCloseable {

  private final Process process;
  private final Path output;
  public final int adminPort;
  public final int demoPort;

  private FaultlineProcess(Process process, Path output, int adminPort, int demoPort) {
    this.process = process;
    this.output = output;
    this.adminPort = adminPort;
    this.demoPort = demoPort;
  }

  /**
   * Starts Faultline on {@code dataDir} with the real plugin jars, a demo proxy on a free port,
   * and {@code env} on top; returns once {@code /healthz} answers 200, the first admin's token is
   * accepted and the demo proxy (when on) exists (fails after 60 s).
   */
  public static FaultlineProcess start(Path dataDir, Map<String, String> env) {
    int adminPort = FaultlineHarness.freePort();
    int demoPort = FaultlineHarness.freePort();
    Path output = dataDir.resolveSibling(dataDir.getFileName() + "-" + System.nanoTime() + ".out");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(dataDir.getParent().toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    // Only what the test says: none of the surrounding shell's FAULTLINE_* settings.
    builder.environment().keySet().removeIf(name -> name.startsWith("FAULTLINE_"));
    builder.environment().put("FAULTLINE_ADMIN_PORT", String.valueOf(adminPort));
    builder.environment().put("FAULTLINE_DEMO_PORT", String.valueOf(demoPort));
    builder.environment().put("FAULTLINE_DATA_DIR", dataDir.toString());
    builder.environment().put("FAULTLINE_PLUGINS_DIR", FaultlineHarness.PLUGINS.toAbsolutePath().toString());
    builder.environment().put("FAULTLINE_ADMIN_EMAIL", FaultlineHarness.ADMIN_EMAIL);
    builder.environment().put("FAULTLINE_ADMIN_PASSWORD", FaultlineHarness.ADMIN_PASSWORD);
    builder.environment().put("FAULTLINE_ADMIN_TOKEN", FaultlineHarness.ADMIN_TOKEN);
    builder.environment().putAll(env);
    try {
      FaultlineProcess started = new FaultlineProcess(builder.start(), output, adminPort, demoPort);
      String demo = builder.environment().get("FAULTLINE_DEMO_PORT");
      boolean admin = !builder.environment().getOrDefault("FAULTLINE_ADMIN_TOKEN", "").isBlank();
      started.awaitHealthy(admin, "off".equalsIgnoreCase(demo) || "false".equalsIgnoreCase(demo));
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Until {@code /healthz} answers and what is made just after the admin API listens is there: the
   * demo proxy (seen with the configured admin's token) or, with no admin configured, the setup link.
   */
  private void awaitHealthy(boolean admin, boolean demoOff) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      if (!process.isAlive()) {
        throw new AssertionError("Faultline exited with " + process.exitValue() + " before /healthz answered:\n" + output());
      }
      try {
        if (get("/healthz").statusCode() == 200 && (admin
            ? demoOff || get("/api/proxies").body().contains("\"demo\"")
            : fullOutput().contains("/setup?token="))) {
          return;
        }
      } catch (UncheckedIOException notYet) {
        // still starting
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("/healthz, the demo proxy or the setup link not ready within 60 s:\n" + output());
      }
      sleep(200);
    }
  }

  public HttpResponse<String> get(String path) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
          .header("Authorization", FaultlineHarness.adminAuthorization())
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** A JSON {@code POST} as nobody: no {@code Authorization}, as a person not signed in sends it. */
  public HttpResponse<String> postAnonymously(String path, String json) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /**
   * Waits until what the process printed (all of it, since it started) matches {@code pattern}
   * {@code count} times, and returns the last match; fails after {@code seconds}.
   */
  public MatchResult awaitOutput(Pattern pattern, int count, long seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (true) {
      Matcher matcher = pattern.matcher(fullOutput());
      int found = 0;
      MatchResult last = null;
      while (matcher.find()) {
        found++;
        last = matcher.toMatchResult();
      }
      if (found >= count) {
        return last;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the output did not show " + pattern + " " + count + " time(s) within " + seconds
            + " s:\n" + output());
      }
      sleep(100);
    }
  }

  /** {@code kill -9}: no shutdown hook, no flush. */
  public void kill() {
    process.destroyForcibly();
    awaitExit(10);
  }

  /** {@code kill -TERM}: the shutdown hook runs. Returns the exit code; fails if it takes over {@code seconds}. */
  public int terminate(long seconds) {
    process.destroy();
    return awaitExit(seconds);
  }

  private int awaitExit(long seconds) {
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("Faultline did not exit within " + seconds + " s:\n" + output());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** The end of what the process printed so far: for failure messages; search {@link #fullOutput}. */
  public String output() {
    String text = fullOutput();
    return text.length() > 4000 ? "…" + text.substring(text.length() - 4000) : text;
  }

  /** Everything the process printed so far (standard output and error). */
  public String fullOutput() {
    try {
      return java.nio.file.Files.readString(output);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      awaitExit(10);
    }
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
