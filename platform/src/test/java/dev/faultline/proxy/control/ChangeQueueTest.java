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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Proxy changes run one at a time; none may hold the ones after it for good. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChangeQueueTest {

  @TempDir
  Path dataDir;

  private Faultline faultline;

  @AfterEach
  void stop() {
    if (faultline != null) {
      await(faultline.stop());
    }
  }

  /**
   * The sequence that hung the admin API for good (6 of 14 tries by hand): start an openai proxy
   * whose port another program holds. Its provider session closed while Vert.x tore down the
   * failed deployment, which then sometimes never finished, and every change after it waited.
   */
  @Test
  void startingOnAPortAnotherProgramHoldsIsRefusedEveryTime(Vertx vertx) throws IOException {
    FaultlineConfig base = FaultlineHarness.config(dataDir);
    FaultlineConfig config = new FaultlineConfig(base.host(), 0, dataDir, base.pluginsDir(), null,
        base.portRangeFrom(), base.portRangeTo(), base.maxBodyBytes(), 2).withAuth(base.auth());
    faultline = await(Faultline.start(vertx, config));
    WebClient client = FaultlineHarness.client(vertx);
    for (String provider : new String[] {"openai", "mock"}) {
      for (int i = 0; i < 15; i++) {
        try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
          JsonObject proxy = await(FaultlineHarness.createProxy(client, faultline, new JsonObject()
              .put("name", provider + i).put("provider", provider).put("upstream", "http://127.0.0.1:9")
              .put("port", squatter.getLocalPort()).put("status", "stopped")));
          HttpResponse<Buffer> start = await(client.post(faultline.adminPort(), "127.0.0.1",
              "/api/proxies/" + proxy.getString("id") + "/start").send());
          assertEquals(409, start.statusCode(), "try " + i + " (" + provider + "): " + start.bodyAsString());
          assertTrue(start.bodyAsString().contains("already in use"), start.bodyAsString());
          // Gone before the next try: the system may hand the next squatter this same port.
          FaultlineHarness.expect(await(client.delete(faultline.adminPort(), "127.0.0.1",
              "/api/proxies/" + proxy.getString("id")).send()), 204);
        }
      }
    }
  }

  /** A provider whose session never closes: a third party's bug must not stall the admin API. */
  private static final String STUCK = """
      package acme;
      import dev.faultline.plugin.api.*;
      import io.vertx.core.Future;
      import io.vertx.core.Promise;
      @org.pf4j.Extension
      public class StuckProvider implements Provider {
        public String id() { return "stuck"; }
        public ProviderSession open(ProviderContext context) {
          return new ProviderSession() {
            public Future<ProviderResponse> forward(ProxyRequest request) {
              return Promise.<ProviderResponse>promise().future();
            }
            public Future<Void> close() {
              return Promise.<Void>promise().future();
            }
          };
        }
      }
      """;

  @Test
  void aChangeThatDoesNotFinishFailsAloneAndTheNextOneGoesAhead(Vertx vertx) throws IOException {
    Path plugins = Files.createDirectories(dataDir.resolve("plugins"));
    PluginJarBuilder.plugin("acme-stuck").source(STUCK).extension("acme.StuckProvider")
        .writeTo(plugins.resolve("acme-stuck.jar"));
    Files.copy(FaultlineHarness.PLUGINS.resolve("provider-mock.jar"), plugins.resolve("provider-mock.jar"));
    faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir.resolve("data")).withPluginsDir(plugins)));
    faultline.proxies().changeTimeout(1_000);
    WebClient client = FaultlineHarness.client(vertx);
    JsonObject stuck = await(FaultlineHarness.createProxy(client, faultline, new JsonObject()
        .put("name", "stuck").put("provider", "stuck").put("port", FaultlineHarness.freePort())));

    // Its stop waits on a close that never ends: bounded inside, and the queue gives up first.
    HttpResponse<Buffer> stop = await(client.post(faultline.adminPort(), "127.0.0.1",
        "/api/proxies/" + stuck.getString("id") + "/stop").send());
    assertEquals(503, stop.statusCode(), stop.bodyAsString());
    assertTrue(stop.bodyAsString().contains("did not finish within 1 s"), stop.bodyAsString());

    // The next change is not held behind it.
    int port = FaultlineHarness.freePort();
    JsonObject next = await(FaultlineHarness.createProxy(client, faultline, new JsonObject()
        .put("name", "next").put("provider", "mock").put("port", port)));
    assertEquals("running", next.getString("status"));

    // And the stuck stop itself ends within its own bound: the port closes.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!"stopped".equals(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/proxies/"
        + stuck.getString("id")).send()).bodyAsJsonObject().getString("status"))) {
      assertTrue(System.nanoTime() < deadline, "the stuck proxy never stopped");
      await(vertx.timer(200));
    }
    try (ServerSocket rebound = new ServerSocket(stuck.getInteger("port"), 50, InetAddress.getByName("127.0.0.1"))) {
      assertTrue(rebound.isBound());
    }
  }

  @Test
  void shutdownIsBoundedWhateverAChangeIsDoing(Vertx vertx) throws IOException {
    Path plugins = Files.createDirectories(dataDir.resolve("plugins"));
    PluginJarBuilder.plugin("acme-stuck").source(STUCK).extension("acme.StuckProvider")
        .writeTo(plugins.resolve("acme-stuck.jar"));
    Faultline running = await(Faultline.start(vertx, FaultlineHarness.config(dataDir.resolve("data"))
        .withPluginsDir(plugins)));
    WebClient client = FaultlineHarness.client(vertx);
    JsonObject stuck = await(FaultlineHarness.createProxy(client, running, new JsonObject()
        .put("name", "stuck").put("provider", "stuck").put("port", FaultlineHarness.freePort())));
    // A stop in progress that will wait on the never-ending close…
    client.post(running.adminPort(), "127.0.0.1", "/api/proxies/" + stuck.getString("id") + "/stop").send();
    // …and a shutdown right behind it still ends (await fails the test after 20 s).
    await(running.stop());
  }
}
