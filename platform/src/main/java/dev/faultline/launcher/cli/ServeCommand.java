package dev.faultline.launcher.cli;

import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code faultline serve}: starts Faultline. Each flag stands for its {@code FAULTLINE_*} variable
 * and wins over it, so the configuration's own checks and messages apply to both alike.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Start Faultline (the default when no command is given). Flags win over FAULTLINE_* variables, "
        + "which win over the configuration file.")
final class ServeCommand implements Runnable {

  @ParentCommand
  private Cli cli;

  @Option(names = "--config", paramLabel = "FILE", description = "The configuration file (FAULTLINE_CONFIG).")
  private String config;

  @Option(names = "--admin-port", paramLabel = "PORT",
      description = "The admin API and dashboard's port, 0 for any free one (FAULTLINE_ADMIN_PORT; default 8080).")
  private String adminPort;

  @Option(names = "--demo-port", paramLabel = "PORT|off",
      description = "The demo proxy's port, or off (FAULTLINE_DEMO_PORT; default 9000).")
  private String demoPort;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the database lives (FAULTLINE_DATA_DIR).")
  private String dataDir;

  @Option(names = "--plugins-dir", paramLabel = "DIR",
      description = "The plugins folder (FAULTLINE_PLUGINS_DIR; default: plugins/ beside faultline.jar).")
  private String pluginsDir;

  @Override
  public void run() {
    cli.served(serve(cli));
  }

  /** Starts with these flags over {@code cli}'s environment; {@link Cli#SERVING} once up, else the exit code. */
  int serve(Cli cli) {
    Map<String, String> env = new HashMap<>(cli.env);
    put(env, "FAULTLINE_CONFIG", config);
    put(env, "FAULTLINE_ADMIN_PORT", adminPort);
    put(env, "FAULTLINE_DEMO_PORT", demoPort);
    put(env, "FAULTLINE_DATA_DIR", dataDir);
    put(env, "FAULTLINE_PLUGINS_DIR", pluginsDir);
    return cli.server.applyAsInt(env);
  }

  private static void put(Map<String, String> env, String name, String value) {
    if (value != null) {
      env.put(name, value);
    }
  }
}
