package dev.faultline.faults;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static dev.faultline.faults.FaultTests.CHAT;
import static dev.faultline.faults.FaultTests.FAULT_HEADER;
import static dev.faultline.faults.FaultTests.chat;
import static dev.faultline.faults.FaultTests.fault;
import static dev.faultline.faults.FaultTests.faults;
import static dev.faultline.faults.FaultTests.putFaults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.testing.PluginJarBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third party's fault plugin, compiled in the test, dropped into the plugins folder of a
 * running Faultline: picked up and usable without a restart, a strategy that throws never breaks
 * a request, and taking the jar out unloads it while the proxy keeps serving. A provider plugin
 * taken out fails the proxies that used it, until it is back.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FaultPluginDropInTest {

  private static final String TEAPOT = """
      package com.acme.faults;

      import dev.faultline.plugin.api.*;
      import java.util.List;

      @org.pf4j.Extension
      public class TeapotFault implements FaultStrategy {
        public String id() { return "teapot"; }
        public String description() { return "Answers 418 to requests for one model"; }
        public List<FaultParam> params() {
          return List.of(FaultParam.string("model", "the model to refuse").asRequired());
        }
        public Fault create(FaultParams params, FaultContext context) {
          String model = params.getString("model");
          return request -> model.equals(request.model())
              ? FaultDecision.error(new ApiError(418, "invalid_request_error", "teapot", "I'm a teapot.", "model",
                  Headers.of("x-teapot", "short and stout")))
              : FaultDecision.pass();
        }
      }
      """;

  private static final String BROKEN = """
      package com.acme.faults;

      import dev.faultline.plugin.api.*;

      @org.pf4j.Extension
      public class BrokenFault implements FaultStrategy {
        public String id() { return "broken"; }
        public Fault create(FaultParams params, FaultContext context) {
          return request -> { throw new IllegalStateException("bug in a third-party fault"); };
        }
      }
      """;

  private static final String ECHO = """
      package com.acme.echo;

      import dev.faultline.plugin.api.*;
      import io.vertx.core.Future;

      @org.pf4j.Extension
      public class EchoProvider implements Provider {
        public String id() { return "echo"; }
        public ProviderSession open(ProviderContext context) {
          return request -> Future.succeededFuture(ProviderResponse.of(200,
              Headers.of("content-type", "application/json"), request.body()));
        }
      }
      """;

  @TempDir
  Path dataDir;
  @TempDir
  Path plugins;
  @TempDir
  Path build;

  @Test
  void aFaultPluginDroppedInWhileRunningIsUsableAndCanBeTakenOut(Vertx vertx) throws IOException {
    Files.copy(FaultlineHarness.PLUGINS.resolve("provider-mock.jar"), plugins.resolve("provider-mock.jar"));
    Files.copy(FaultlineHarness.PLUGINS.resolve("faults-builtin.jar"), plugins.resolve("faults-builtin.jar"));
    Faultline faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir).withPluginsDir(plugins)));
    WebClient client = FaultlineHarness.client(vertx);
    try {
      JsonObject proxy = FaultTests.mockProxy(client, faultline, "third-party", new JsonArray(), null);
      String id = proxy.getString("id");
      int port = proxy.getInteger("port");
      JsonArray teapot = faults(fault("broken", 1, new JsonObject()),
          fault("teapot", 1, new JsonObject().put("model", "gpt-4o-mini")));
      putFaults(client, faultline, id, teapot, 400);

      Path jar = PluginJarBuilder.plugin("acme-faults").description("Acme's faults")
          .source(TEAPOT).source(BROKEN)
          .extension("com.acme.faults.TeapotFault").extension("com.acme.faults.BrokenFault")
          .writeTo(build.resolve("acme-faults.jar"));
      dropIn(jar);
      waitFor(() -> strategies(client, faultline).contains("teapot"), "the dropped-in plugin to load");
      JsonObject described = expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/plugins").send()), 200)
          .bodyAsJsonObject();
      assertTrue(described.encode().contains("\"fault:teapot\""), described.encodePrettily());

      putFaults(client, faultline, id, teapot, 200);
      HttpResponse<Buffer> refused = chat(client, port, CHAT);
      assertEquals(418, refused.statusCode(), refused.bodyAsString());
      assertEquals(new JsonObject().put("error", new JsonObject().put("message", "I'm a teapot.")
          .put("type", "invalid_request_error").put("param", "model").put("code", "teapot")), refused.bodyAsJsonObject());
      assertEquals("short and stout", refused.getHeader("x-teapot"));
      assertEquals("teapot", refused.getHeader(FAULT_HEADER));
      HttpResponse<Buffer> served = chat(client, port, CHAT.replace("gpt-4o-mini", "gpt-4o"));
      assertEquals(200, served.statusCode(), "the throwing fault is skipped, the request served: "
          + served.bodyAsString());

      Files.delete(plugins.resolve("acme-faults.jar"));
      waitFor(() -> !strategies(client, faultline).contains("teapot"), "the removed plugin to unload");
      waitFor(() -> chat(client, port, CHAT).statusCode() == 200, "the proxy to stop using the removed fault");
      JsonObject after = expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + id).send()), 200)
          .bodyAsJsonObject();
      assertEquals("running", after.getString("status"));
      assertEquals(2, after.getJsonArray("faults").size(), "its faults stay stored for when the plugin is back");

      dropIn(jar);
      waitFor(() -> chat(client, port, CHAT).statusCode() == 418, "the proxy to use the plugin again");
    } finally {
      await(faultline.stop());
    }
  }

  @Test
  void removingAProviderPluginFailsTheProxiesUsingItUntilItIsBack(Vertx vertx) throws IOException {
    Faultline faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir).withPluginsDir(plugins)));
    WebClient client = FaultlineHarness.client(vertx);
    try {
      dropIn(PluginJarBuilder.plugin("acme-echo").source(ECHO).extension("com.acme.echo.EchoProvider")
          .writeTo(build.resolve("acme-echo.jar")), "acme-echo.jar");
      waitFor(() -> plugins(client, faultline).contains("provider:echo"), "the provider plugin to load");
      JsonObject proxy = await(FaultlineHarness.createProxy(client, faultline, new JsonObject().put("name", "echoed")
          .put("provider", "echo")));
      assertEquals(CHAT, chat(client, proxy.getInteger("port"), CHAT).bodyAsString());

      Files.delete(plugins.resolve("acme-echo.jar"));
      waitFor(() -> !plugins(client, faultline).contains("provider:echo"), "the provider plugin to unload");
      waitFor(() -> !"running".equals(status(client, faultline, proxy)), "the proxy to stop serving");
      JsonObject after = expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/proxies/"
          + proxy.getString("id")).send()), 200).bodyAsJsonObject();
      assertEquals("failed", after.getString("status"), after.encodePrettily());
      assertEquals("provider plugin 'echo' was removed", after.getString("error"));

      dropIn(build.resolve("acme-echo.jar"), "acme-echo.jar");
      waitFor(() -> "running".equals(status(client, faultline, proxy)), "the proxy to come back");
      assertEquals(CHAT, chat(client, proxy.getInteger("port"), CHAT).bodyAsString());
    } finally {
      await(faultline.stop());
    }
  }

  private void dropIn(Path jar) throws IOException {
    dropIn(jar, "acme-faults.jar");
  }

  /** As a deployment would: written beside the folder, then moved in whole. */
  private void dropIn(Path jar, String name) throws IOException {
    Path staged = plugins.resolve(name + ".part");
    Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
    Files.move(staged, plugins.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private static String plugins(WebClient client, Faultline faultline) {
    return expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/plugins").send()), 200).bodyAsString();
  }

  private static String status(WebClient client, Faultline faultline, JsonObject proxy) {
    return expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + proxy.getString("id"))
        .send()), 200).bodyAsJsonObject().getString("status");
  }

  private static String strategies(WebClient client, Faultline faultline) {
    return expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/faults/strategies").send()), 200)
        .bodyAsString();
  }

  private static void waitFor(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited 20 s for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
