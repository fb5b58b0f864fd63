package dev.faultline.launcher.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code faultline cache clear|export|import}: a proxy's response cache and its cassettes. */
@Command(name = "cache", mixinStandardHelpOptions = true,
    description = "Clear a proxy's response cache, or export and import it as a cassette (NDJSON).",
    subcommands = {CacheCommand.Clear.class, CacheCommand.Export.class, CacheCommand.Import.class})
final class CacheCommand {

  private static String path(AdminClient client, String proxy) {
    return "/api/proxies/" + ClientOptions.proxyId(client, proxy) + "/cache";
  }

  @Command(name = "clear", mixinStandardHelpOptions = true, description = "Delete every cached answer of a proxy.")
  static final class Clear extends ClientCommand {
    @Parameters(paramLabel = "PROXY", description = "Its id or name.")
    String proxy;

    @Override
    public void run() {
      AdminClient client = client();
      JsonObject result = client.object("DELETE", path(client, proxy), null);
      out().printf("%s: %s cached answers deleted%n", proxy, result.getValue("deleted"));
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write a proxy's cache as a cassette, to a file or to standard output.")
  static final class Export extends ClientCommand {
    @Parameters(paramLabel = "PROXY", description = "Its id or name.")
    String proxy;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "The file (default: standard output).")
    Path output;

    @Option(names = "--api-key", paramLabel = "KEY",
        description = "Only the entries of the tenant with this upstream API key (as X-Faultline-Api-Key).")
    String apiKey;

    @Override
    public void run() {
      AdminClient client = client();
      HttpRequest.Builder request = client.request(path(client, proxy) + "/export").GET();
      if (apiKey != null) {
        request.header(AdminClient.API_KEY_HEADER, apiKey);
      }
      Streams.copy(client.stream(request.build()), output, out());
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true,
      description = "Load a cassette (NDJSON, as exported) into a proxy's cache.")
  static final class Import extends ClientCommand {
    @Parameters(index = "0", paramLabel = "PROXY", description = "Its id or name.")
    String proxy;

    @Parameters(index = "1", paramLabel = "FILE", description = "The cassette.")
    Path file;

    @Option(names = "--api-key", paramLabel = "KEY",
        description = "File the entries under the tenant with this upstream API key (as X-Faultline-Api-Key).")
    String apiKey;

    @Override
    public void run() {
      if (!Files.isRegularFile(file)) {
        throw new AdminClient.ApiException("no such file: " + file.toAbsolutePath());
      }
      AdminClient client = client();
      HttpRequest.Builder request;
      try {
        request = client.request(path(client, proxy) + "/import")
            .header("Content-Type", "application/x-ndjson")
            .POST(HttpRequest.BodyPublishers.ofFile(file));
      } catch (IOException e) {
        throw new AdminClient.ApiException("cannot read " + file + ": " + e.getMessage());
      }
      if (apiKey != null) {
        request.header(AdminClient.API_KEY_HEADER, apiKey);
      }
      try (InputStream answer = client.stream(request.build())) {
        out().println(new JsonObject(new String(answer.readAllBytes(), StandardCharsets.UTF_8))
            .encodePrettily());
      } catch (IOException e) {
        throw new AdminClient.ApiException("the answer broke off: " + e.getMessage());
      }
    }
  }

  /** Copying a streamed answer to a file or to the command's output. */
  static final class Streams {
    private Streams() {
    }

    static void copy(InputStream in, Path file, PrintWriter out) {
      try (in) {
        if (file != null) {
          Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } else {
          new InputStreamReader(in, StandardCharsets.UTF_8).transferTo(out);
          out.flush();
        }
      } catch (IOException e) {
        throw new AdminClient.ApiException("the answer broke off: " + e.getMessage());
      }
    }
  }
}
