package dev.faultline.proxy.control;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import dev.faultline.testing.PluginJarBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vert.x lets a second server listen on a port a server of the same instance listens on, and
 * hands them connections in turn. A proxy must never start on a port another proxy runs on here,
 * not even for the moment before the store refuses it: it would take that proxy's callers (and
 * their API keys) to its own upstream.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PortSharingTest {

  /** A provider that notes, in a system property named after its upstream, every proxy it opens a session for. */
  private static final String WITNESS = """
      package acme;
      import dev.faultline.plugin.api.*;
      import io.vertx.core.Future;
      @org.pf4j.Extension
      public class WitnessProvider implements Provider {
        public String id() { return "witness"; }
        public ProviderSession open(ProviderContext context) {
          String key = "faultline.witness." + context.upstream();
          synchronized (WitnessProvider.class) {
            System.setProperty(key, System.getProperty(key, "") + context.proxyId() + " ");
          }
          return new ProviderSession() {
            public Future<ProviderResponse> forward(ProxyRequest request) {
              return Future.failedFuture("not for calling");
            }
            public Future<Void> close() {
              return Future.succeededFuture();
            }
          };
        }
      }
      """;

  @TempDir
  Path dir;
  private final String upstream = "http://127.0.0.1:9/" + UUID.randomUUID();
  private Faultline faultline;

  @AfterEach
  void stop() {
    if (faultline != null) {
      await(faultline.stop());
    }
  }

  @Test
  void aProxyRefusedOrPlacedNeverStartsOnAPortAnotherRunsOn(Vertx vertx) throws IOException {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    PluginJarBuilder.plugin("acme-witness").source(WITNESS).extension("acme.WitnessProvider")
        .writeTo(plugins.resolve("acme-witness.jar"));
    FaultlineConfig config = FaultlineHarness.config(dir.resolve("data")).withPluginsDir(plugins);
    faultline = await(Faultline.start(vertx, config));
    WebClient client = FaultlineHarness.client(vertx);

    JsonObject first = await(FaultlineHarness.createProxy(client, faultline, proxy("first")));
    int port = first.getInteger("port");
    HttpResponse<Buffer> clash = await(client.post(faultline.adminPort(), "127.0.0.1", "/api/proxies")
        .sendJsonObject(proxy("second").put("port", port)));
    assertEquals(409, clash.statusCode(), clash.bodyAsString());
    assertTrue(clash.bodyAsString().contains(port + " is already used by proxy 'first'"), clash.bodyAsString());

    // After a restart the search starts at the range's first port again, where "first" runs.
    await(faultline.stop());
    faultline = await(Faultline.start(vertx, config));
    JsonObject third = await(FaultlineHarness.createProxy(client, faultline, proxy("third")));
    assertEquals(port + 1, third.getInteger("port"), third.encode());

    Set<String> proxies = Set.of(first.getString("id"), third.getString("id"));
    List<String> opened = Arrays.asList(System.getProperty("faultline.witness." + upstream, "").trim().split(" "));
    assertEquals(Set.of(), opened.stream().filter(id -> !proxies.contains(id)).collect(Collectors.toSet()),
        "sessions were opened for proxies that were never stored: " + opened);
    assertEquals(3, opened.size(), "first, first again after the restart, and third: " + opened);
  }

  private JsonObject proxy(String name) {
    return new JsonObject().put("name", name).put("provider", "witness").put("upstream", upstream);
  }
}
