package dev.faultline.launcher.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code faultline logs tail|export}: the request log, live or as a file. */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Follow the request log live, or export it.",
    subcommands = {LogsCommand.Tail.class, LogsCommand.Export.class})
final class LogsCommand {

  @Command(name = "tail", mixinStandardHelpOptions = true,
      description = "Print each new log entry as one line of JSON as it is written, until Ctrl-C.")
  static final class Tail extends ClientCommand {
    @Option(names = "--proxy", paramLabel = "PROXY", description = "Only this proxy's entries (id or name).")
    String proxy;

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "Stop after N entries.")
    Integer count;

    @Override
    public void run() {
      AdminClient client = client();
      Map<String, String> params = new LinkedHashMap<>();
      params.put("proxy", proxy == null ? null : proxyId(client, proxy));
      int seen = 0;
      try (BufferedReader events = new BufferedReader(new InputStreamReader(client.stream(
          client.request("/api/logs/stream" + AdminClient.query(params)).header("Accept", "text/event-stream")
              .GET().build()), StandardCharsets.UTF_8))) {
        // One "data:" line per entry; "event: dropped" says how many a slow reader missed.
        String event = null;
        for (String line = events.readLine(); line != null; line = events.readLine()) {
          if (line.startsWith("event:")) {
            event = line.substring(6).trim();
          } else if (line.startsWith("data:")) {
            String data = line.substring(5).trim();
            if ("dropped".equals(event)) {
              spec.commandLine().getErr().println("faultline: entries missed (too slow to keep up): " + data);
            } else {
              out().println(data);
              out().flush();
              if (count != null && ++seen >= count) {
                return;
              }
            }
          } else if (line.isEmpty()) {
            event = null;
          }
        }
        throw new AdminClient.ApiException("the log stream ended (Faultline stopped?)");
      } catch (IOException e) {
        throw new AdminClient.ApiException("the log stream broke off: " + e.getMessage());
      }
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Every entry that matches, as CSV, JSON or NDJSON, to a file or to standard output.")
  static final class Export extends ClientCommand {
    @Option(names = "--format", paramLabel = "csv|json|ndjson", defaultValue = "csv",
        description = "The file's format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "The file (default: standard output).")
    Path output;

    @Option(names = "--proxy", paramLabel = "PROXY", description = "Only this proxy's entries (id or name).")
    String proxy;

    @Option(names = "--from", paramLabel = "TIME", description = "From this time (ISO-8601 or epoch ms).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Up to this time (ISO-8601 or epoch ms).")
    String to;

    @Option(names = "--status", paramLabel = "STATUS", description = "Statuses, e.g. 429 or 5xx, comma-separated.")
    String status;

    @Option(names = "--model", description = "Only this model.")
    String model;

    @Option(names = "--cache", paramLabel = "HIT|MISS|BYPASS|none", description = "Only this cache result.")
    String cache;

    @Option(names = "--fault", paramLabel = "STRATEGY|any|none", description = "Only entries this fault touched.")
    String fault;

    @Override
    public void run() {
      AdminClient client = client();
      Map<String, String> params = new LinkedHashMap<>();
      params.put("export", format.toLowerCase(Locale.ROOT));
      params.put("proxy", proxy == null ? null : proxyId(client, proxy));
      params.put("from", from);
      params.put("to", to);
      params.put("status", status);
      params.put("model", model);
      params.put("cache", cache);
      params.put("fault", fault);
      CacheCommand.Streams.copy(client.stream(client.request("/api/logs" + AdminClient.query(params)).GET().build()),
          output, out());
    }
  }
}
