package dev.faultline.launcher.cli;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code faultline faults set|clear|list}: a proxy's faults, effective on its next request. */
@Command(name = "faults", mixinStandardHelpOptions = true, description = "Set, clear and list a proxy's faults.",
    subcommands = {FaultsCommand.Set.class, FaultsCommand.Clear.class, FaultsCommand.List.class})
final class FaultsCommand {

  private static String path(AdminClient client, String proxy) {
    return "/api/proxies/" + ClientOptions.proxyId(client, proxy) + "/faults";
  }

  @Command(name = "set", mixinStandardHelpOptions = true,
      description = {"Replace a proxy's faults (they start afresh, even when unchanged), given as:",
          "  the X-Faultline-Fault grammar, e.g.",
          "    'http-error;status=429;retry_after=2, latency;ms=300'  (or none)",
          "  JSON: a list of entries, or the shorthand, e.g.",
          "    '{\"timeout_sec\":5,\"error_rates\":{\"429\":0.1}}'",
          "  or the shorthand's options: --error 429=0.1 --timeout-sec 5"})
  static final class Set extends ClientCommand {
    @Parameters(index = "0", paramLabel = "PROXY", description = "Its id or name.")
    String proxy;

    @Parameters(index = "1", arity = "0..1", paramLabel = "FAULTS", description = "The faults (see above).")
    String faults;

    @Option(names = "--error", paramLabel = "STATUS=RATE",
        description = "Answer this share of requests with this status, e.g. --error 429=0.1 (repeatable).")
    Map<String, Double> errors = new LinkedHashMap<>();

    @Option(names = "--timeout-sec", paramLabel = "SECONDS", description = "The proxy's own upstream timeout.")
    Double timeoutSec;

    @Override
    public void run() {
      Object body;
      AdminClient client = client();
      if (faults != null && (!errors.isEmpty() || timeoutSec != null)) {
        throw new AdminClient.ApiException("give FAULTS or --error/--timeout-sec, not both");
      } else if (faults == null) {
        if (errors.isEmpty() && timeoutSec == null) {
          throw new AdminClient.ApiException("no faults given; to remove them all: faultline faults clear " + proxy);
        }
        JsonObject shorthand = new JsonObject();
        if (timeoutSec != null) {
          shorthand.put("timeout_sec", timeoutSec);
        }
        if (!errors.isEmpty()) {
          JsonObject rates = new JsonObject();
          errors.forEach(rates::put);
          shorthand.put("error_rates", rates);
        }
        body = shorthand;
      } else if (faults.trim().startsWith("[") || faults.trim().startsWith("{")) {
        try {
          body = Json.decodeValue(faults);
        } catch (RuntimeException e) {
          throw new AdminClient.ApiException("FAULTS is not valid JSON: " + e.getMessage());
        }
      } else {
        body = FaultSpec.entries(faults, client.array("/api/faults/strategies"));
      }
      out().println(Json.encodePrettily(Json.decodeValue(client.text("PUT", path(client, proxy), body))));
    }
  }

  @Command(name = "clear", mixinStandardHelpOptions = true, description = "Remove all of a proxy's faults.")
  static final class Clear extends ClientCommand {
    @Parameters(paramLabel = "PROXY", description = "Its id or name.")
    String proxy;

    @Override
    public void run() {
      AdminClient client = client();
      client.text("PUT", path(client, proxy), new io.vertx.core.json.JsonArray());
      out().printf("%s: no faults%n", proxy);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "A proxy's faults, as JSON.")
  static final class List extends ClientCommand {
    @Parameters(paramLabel = "PROXY", description = "Its id or name.")
    String proxy;

    @Override
    public void run() {
      AdminClient client = client();
      out().println(Json.encodePrettily(Json.decodeValue(client.text("GET", path(client, proxy), null))));
    }
  }
}
