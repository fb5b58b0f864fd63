package dev.faultline.launcher.cli;

import dev.faultline.api.Version;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.ToIntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code faultline}: with no command it serves (today's behaviour); {@code --help} and
 * {@code --version} answer and exit; the other commands are clients of a running instance.
 */
@Command(name = "faultline", mixinStandardHelpOptions = true, versionProvider = Cli.VersionProvider.class,
    description = "Faultline: proxies in front of LLM APIs with cache, fault injection and logs.%n"
        + "With no command, starts the server (the same as 'faultline serve').",
    subcommands = {ServeCommand.class, ProxiesCommand.class, FaultsCommand.class, CacheCommand.class,
        LogsCommand.class, MigrateCommand.class, CommandLine.HelpCommand.class})
public final class Cli implements Runnable {

  /** What {@link #execute} returns when the server started and the process must stay up. */
  public static final int SERVING = Integer.MIN_VALUE;

  private static final java.util.Set<String> TOP_OPTIONS = java.util.Set.of("-h", "--help", "-V", "--version");

  final Map<String, String> env;
  /** Starts Faultline with an environment; {@link #SERVING} once up, else the exit code. */
  final ToIntFunction<Map<String, String>> server;
  private Integer serving;

  private Cli(Map<String, String> env, ToIntFunction<Map<String, String>> server) {
    this.env = env;
    this.server = server;
  }

  @Override
  public void run() {
    serving = new ServeCommand().serve(this);
  }

  /**
   * Runs {@code args}; {@code env} stands in for the process environment (FAULTLINE_*), and
   * {@code server} starts Faultline (the launcher's, which this package does not know). Returns
   * the exit code: 0 done, 1 the command failed (the API's message printed), 2 bad usage or
   * configuration, or {@link #SERVING}.
   */
  public static int execute(String[] args, Map<String, String> env, ToIntFunction<Map<String, String>> server,
                            PrintWriter out, PrintWriter err) {
    Cli cli = new Cli(env, server);
    if (args.length == 0) {
      // A plain start, the most common, needs nothing parsed: picocli's model of every command,
      // built by reflection, took about 150 ms of each start.
      return new ServeCommand().serve(cli);
    }
    CommandLine line = new CommandLine(cli)
        .setOut(out)
        .setErr(err)
        .setExecutionExceptionHandler((e, commandLine, parsed) -> {
          if (e instanceof AdminClient.ApiException) {
            commandLine.getErr().println("faultline: " + e.getMessage());
            commandLine.getErr().flush();
            return 1;
          }
          throw e;
        });
    int code = line.execute(serveByDefault(args));
    out.flush();
    err.flush();
    return cli.serving != null && code == 0 ? cli.serving : code;
  }

  /** {@code faultline --admin-port 8081} is {@code faultline serve --admin-port 8081}: serving is the default. */
  private static String[] serveByDefault(String[] args) {
    if (args.length == 0 || !args[0].startsWith("-") || TOP_OPTIONS.contains(args[0])) {
      return args;
    }
    String[] served = new String[args.length + 1];
    served[0] = "serve";
    System.arraycopy(args, 0, served, 1, args.length);
    return served;
  }

  /** Set by {@code serve}: its exit code, or {@link #SERVING}. */
  void served(int code) {
    this.serving = code;
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"faultline " + Version.current()};
    }
  }
}
