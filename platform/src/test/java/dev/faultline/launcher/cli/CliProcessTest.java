package dev.faultline.launcher.cli;

import static dev.faultline.launcher.cli.Says.says;
import static dev.faultline.launcher.cli.Says.lacks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Main;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code faultline …} as its own process: help, version, serve's flags, and what a taken port says. */
class CliProcessTest {

  @TempDir
  Path dir;

  @Test
  void helpListsTheCommandsAndExits() throws Exception {
    Finished help = run(Map.of(), 30, "--help");
    assertEquals(0, help.code);
    says(help.output, "serve", "proxies", "faults", "cache", "logs");
    lacks(help.output, "is up");

    Finished serveHelp = run(Map.of(), 30, "serve", "--help");
    assertEquals(0, serveHelp.code);
    says(serveHelp.output, "--admin-port", "FAULTLINE_ADMIN_PORT", "--plugins-dir");
  }

  @Test
  void versionPrintsTheVersionAndExits() throws Exception {
    Finished version = run(Map.of(), 30, "--version");
    assertEquals(0, version.code);
    assertTrue(version.output.strip().matches("faultline \\d+\\.\\d+\\.\\d+.*"), version.output);
  }

  @Test
  void anUnknownCommandIsAUsageErrorNamingIt() throws Exception {
    Finished wrong = run(Map.of(), 30, "proxy", "list");
    assertEquals(2, wrong.code);
    says(wrong.output, "proxy");
  }

  @Test
  void serveFlagsWinOverTheVariables() throws Exception {
    int adminPort = FaultlineHarness.freePort();
    Path data = dir.resolve("flag-data");
    // Each variable is wrong: only the flags can make this start.
    Map<String, String> env = Map.of("FAULTLINE_ADMIN_PORT", "not-a-port", "FAULTLINE_DEMO_PORT", "not-a-port",
        "FAULTLINE_DATA_DIR", dir.resolve("wrong-data").toString(), "FAULTLINE_PLUGINS_DIR", dir.resolve("none").toString(),
        "FAULTLINE_CONFIG", dir.resolve("missing.yaml").toString());
    Path config = Files.writeString(dir.resolve("faultline.yaml"), "server:\n  host: 127.0.0.1\n");
    Process process = start(env, "serve", "--config", config.toString(), "--admin-port", String.valueOf(adminPort),
        "--demo-port", "off", "--data-dir", data.toString(),
        "--plugins-dir", FaultlineHarness.PLUGINS.toAbsolutePath().toString());
    try {
      awaitHealthy(process, adminPort);
      assertTrue(Files.exists(data));
      assertTrue(!Files.exists(dir.resolve("wrong-data")));
      says(new String(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + adminPort + "/api/plugins"))
          .header("Authorization", FaultlineHarness.adminAuthorization()).build(),
          HttpResponse.BodyHandlers.ofString()).body()), "provider-mock");
    } finally {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aTakenAdminPortNamesThePortAndWhatMovesItWithoutAStackTrace() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Finished run = run(Map.of(), 60, "--admin-port", String.valueOf(taken.getLocalPort()), "--demo-port", "off",
          "--data-dir", dir.resolve("data").toString());
      assertEquals(2, run.code, run.output);
      says(run.output, "port " + taken.getLocalPort(), "already in use", "FAULTLINE_ADMIN_PORT", "--admin-port");
      lacks(run.output, "\tat ");
    }
  }

  @Test
  void aTakenDemoPortSaysItCanBeTurnedOff() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Finished run = run(Map.of(), 60, "serve", "--admin-port", "0", "--demo-port",
          String.valueOf(taken.getLocalPort()), "--data-dir", dir.resolve("data").toString());
      assertEquals(2, run.code, run.output);
      says(run.output, "port " + taken.getLocalPort(), "FAULTLINE_DEMO_PORT=off");
      lacks(run.output, "\tat ");
    }
  }

  private record Finished(int code, String output) {
  }

  private Finished run(Map<String, String> env, long seconds, String... args) throws Exception {
    Process process = start(env, args);
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("faultline " + String.join(" ", args) + " did not exit within " + seconds + " s:\n"
          + output());
    }
    return new Finished(process.exitValue(), output());
  }

  private Path outputFile;

  private Process start(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    outputFile = Files.createTempFile(dir, "faultline", ".out");
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(outputFile.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("FAULTLINE_"));
    builder.environment().put("FAULTLINE_PLUGINS_DIR", FaultlineHarness.PLUGINS.toAbsolutePath().toString());
    builder.environment().put("FAULTLINE_ADMIN_EMAIL", FaultlineHarness.ADMIN_EMAIL);
    builder.environment().put("FAULTLINE_ADMIN_PASSWORD", FaultlineHarness.ADMIN_PASSWORD);
    builder.environment().put("FAULTLINE_ADMIN_TOKEN", FaultlineHarness.ADMIN_TOKEN);
    builder.environment().putAll(env);
    return builder.start();
  }

  private String output() throws IOException {
    return Files.readString(outputFile);
  }

  private void awaitHealthy(Process process, int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    HttpClient http = HttpClient.newHttpClient();
    while (true) {
      if (!process.isAlive()) {
        throw new AssertionError("Faultline exited with " + process.exitValue() + ":\n" + output());
      }
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("/healthz did not answer within 60 s:\n" + output());
      }
      Thread.sleep(200);
    }
  }
}
