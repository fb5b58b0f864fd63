package dev.faultline.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code faultline} with no command serves: with no argument at all (read without picocli), and
 * with serve's flags alone. The server gets the environment, flags over it, and its exit code or
 * {@link Cli#SERVING} is what the command returns.
 */
class ServeByDefaultTest {

  private final AtomicReference<Map<String, String>> served = new AtomicReference<>();
  private final StringWriter output = new StringWriter();

  @Test
  void noArgumentServesWithTheEnvironmentAsItIs() {
    assertEquals(Cli.SERVING, run(Cli.SERVING), output.toString());
    assertEquals(Map.of("FAULTLINE_ADMIN_PORT", "8123"), served.get());
    assertEquals("", output.toString(), "nothing printed");
  }

  @Test
  void aStartThatFailsGivesItsExitCode() {
    assertEquals(2, run(2), output.toString());
  }

  @Test
  void serveFlagsAloneServeWithTheFlagOverTheVariable() {
    assertEquals(Cli.SERVING, run(Cli.SERVING, "--admin-port", "8124"), output.toString());
    assertEquals(Map.of("FAULTLINE_ADMIN_PORT", "8124"), served.get());
  }

  private int run(int serverCode, String... args) {
    PrintWriter out = new PrintWriter(output);
    return Cli.execute(args, Map.of("FAULTLINE_ADMIN_PORT", "8123"), env -> {
      served.set(env);
      return serverCode;
    }, out, out);
  }
}
