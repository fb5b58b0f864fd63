package dev.faultline.launcher.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Option;

/** Where the running Faultline is and the API token to call it with; shared by the client commands. */
final class ClientOptions {

  static final String DEFAULT_URL = "http://localhost:8080";

  @Option(names = "--url", paramLabel = "URL",
      description = "The admin API of the running Faultline (default: FAULTLINE_URL, else " + DEFAULT_URL + ").")
  String url;

  @Option(names = "--token", paramLabel = "flt_…",
      description = "An API token (default: FAULTLINE_TOKEN). Make one in the dashboard: API tokens → New token.")
  String token;

  AdminClient client(Cli cli) {
    String address = url != null ? url : cli.env.getOrDefault("FAULTLINE_URL", DEFAULT_URL);
    return new AdminClient(address, token != null ? token : cli.env.get("FAULTLINE_TOKEN"));
  }

  /**
   * The proxy named by id or by name: the id as the API knows it, or a failure naming what was
   * looked for.
   */
  static String proxyId(AdminClient client, String idOrName) {
    return client.array("/api/proxies").stream()
        .map(JsonObject.class::cast)
        .filter(proxy -> idOrName.equals(proxy.getString("id")) || idOrName.equals(proxy.getString("name")))
        .map(proxy -> proxy.getString("id"))
        .findFirst()
        .orElseThrow(() -> new AdminClient.ApiException("no proxy with the id or name '" + idOrName + "'"));
  }
}
