package dev.faultline.launcher.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code faultline proxies list|create|start|stop|delete}. */
@Command(name = "proxies", mixinStandardHelpOptions = true, description = "List, create, start, stop and delete proxies.",
    subcommands = {ProxiesCommand.List.class, ProxiesCommand.Create.class, ProxiesCommand.Start.class,
        ProxiesCommand.Stop.class, ProxiesCommand.Delete.class})
final class ProxiesCommand {

  private static final String ROW = "%-36s  %-20s  %-10s  %5s  %-8s  %s%n";

  static void print(java.io.PrintWriter out, JsonArray proxies) {
    out.printf(ROW, "ID", "NAME", "PROVIDER", "PORT", "STATUS", "UPSTREAM");
    for (Object item : proxies) {
      JsonObject proxy = (JsonObject) item;
      Object upstream = proxy.getValue("upstream");
      out.printf(ROW, proxy.getString("id"), proxy.getString("name"), proxy.getString("provider"),
          proxy.getValue("port"), proxy.getString("status"), upstream == null ? "" : upstream);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "The proxies you may see.")
  static final class List extends ClientCommand {
    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;

    @Override
    public void run() {
      JsonArray proxies = client().array("/api/proxies");
      if (json) {
        out().println(proxies.encodePrettily());
      } else {
        print(out(), proxies);
      }
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a proxy; it starts at once unless --stopped. Prints the new proxy's id.")
  static final class Create extends ClientCommand {
    @Option(names = "--name", required = true, description = "Its name (unique).")
    String name;

    @Option(names = "--provider", required = true, description = "A provider plugin's id: openai, anthropic, mock, …")
    String provider;

    @Option(names = "--upstream", description = "The upstream's base URL, e.g. https://api.openai.com")
    String upstream;

    @Option(names = "--port", description = "Its port (default: the next free one of proxies.port_range).")
    Integer port;

    @Option(names = "--stopped", description = "Create it stopped.")
    boolean stopped;

    @Option(names = "--set", paramLabel = "JSON",
        description = "Any other fields of the proxy, as a JSON object, e.g. '{\"cache\":{\"enabled\":true}}'.")
    String extra;

    @Override
    public void run() {
      JsonObject body = extra == null ? new JsonObject() : json(extra);
      body.put("name", name).put("provider", provider);
      if (upstream != null) {
        body.put("upstream", upstream);
      }
      if (port != null) {
        body.put("port", port);
      }
      if (stopped) {
        body.put("status", "stopped");
      }
      JsonObject proxy = client().object("POST", "/api/proxies", body);
      out().printf("%s  %s  %s  %s%n", proxy.getString("id"), proxy.getString("name"), proxy.getString("status"),
          proxy.getString("url"));
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a proxy (by id or name).")
  static final class Start extends ClientCommand {
    @Parameters(paramLabel = "PROXY", description = "Its id or name.")
    String proxy;

    @Override
    public void run() {
      AdminClient client = client();
      JsonObject view = client.object("POST", "/api/proxies/" + proxyId(client, proxy) + "/start", null);
      out().printf("%s  %s%n", view.getString("name"), view.getString("status"));
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a proxy (by id or name); its port closes.")
  static final class Stop extends ClientCommand {
    @Parameters(paramLabel = "PROXY", description = "Its id or name.")
    String proxy;

    @Override
    public void run() {
      AdminClient client = client();
      JsonObject view = client.object("POST", "/api/proxies/" + proxyId(client, proxy) + "/stop", null);
      out().printf("%s  %s%n", view.getString("name"), view.getString("status"));
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Stop and forget a proxy (by id or name).")
  static final class Delete extends ClientCommand {
    @Parameters(paramLabel = "PROXY", description = "Its id or name.")
    String proxy;

    @Override
    public void run() {
      AdminClient client = client();
      client.text("DELETE", "/api/proxies/" + proxyId(client, proxy), null);
      out().printf("deleted %s%n", proxy);
    }
  }

  static JsonObject json(String text) {
    try {
      return new JsonObject(text);
    } catch (RuntimeException e) {
      throw new AdminClient.ApiException("not a JSON object: " + text);
    }
  }
}
