package dev.faultline.plugins;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import dev.faultline.plugin.api.Provider;
import dev.faultline.proxy.control.ProxyManager;
import dev.faultline.testing.PluginJarBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provider jars replaced, removed, put back and duplicated under a running Faultline, with real
 * jars in a temp plugins folder and a real SQLite file: a replaced jar's proxies keep their port
 * open (a stream in flight completes, requests during the swap are served), a removed jar's
 * proxies read {@code failed} with the reason and come back by themselves, what the user asked
 * for stays stored as {@code running}, and a duplicate jar takes over when the original goes.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PluginReloadTest {

  private static final String MOCK_JAR = "provider-mock.jar";
  private static final String QUICK_CHAT = "{\"model\":\"gpt-4o-mini\",\"max_completion_tokens\":1,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String SLOW_STREAM = "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"tell me a long story\"}]}";

  /** A provider answering with the request body and its own version in a header. */
  private static final String VERSIONED = """
      package com.acme.versioned;

      import dev.faultline.plugin.api.*;
      import io.vertx.core.Future;

      @org.pf4j.Extension
      public class VersionedProvider implements Provider {
        public String id() { return "versioned"; }
        public ProviderSession open(ProviderContext context) {
          return request -> Future.succeededFuture(ProviderResponse.of(200,
              Headers.of("content-type", "application/json", "x-plugin-version", "%s"), request.body()));
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
  void aReplacedJarMovesItsProxiesWithoutClosingThePort(Vertx vertx) throws Exception {
    copyMock(MOCK_JAR);
    Faultline faultline = await(Faultline.start(vertx, config()));
    WebClient client = FaultlineHarness.client(vertx);
    HttpClient http = vertx.createHttpClient();
    List<JsonObject> events = statusEvents(vertx);
    try {
      // 5 pieces a second, 30 pieces: the stream lasts about 6 s, long enough to span the swap.
      JsonObject proxy = await(FaultlineHarness.createProxy(client, faultline, new JsonObject().put("name", "swapped")
          .put("provider", "mock").put("options", new JsonObject().put("tokens_per_second", 5)
              .put("completion_tokens", 30))));
      String id = proxy.getString("id");
      int port = proxy.getInteger("port");
      Provider before = faultline.plugins().provider("mock").orElseThrow();

      Future<String> stream = streamBody(http, port);
      expect(chat(client, port), 200);

      replace(MOCK_JAR);
      faultline.plugins().rescan();
      List<Integer> duringSwap = new ArrayList<>();
      waitFor(() -> {
        duringSwap.add(chat(client, port).statusCode());
        return faultline.plugins().provider("mock").orElseThrow() != before;
      }, "the replaced jar to load");
      assertFalse(stream.isComplete(), "the stream should still be in flight when the new jar is in");
      // The swap is done once the provider is there; the proxies move right after, on the same port.
      for (int i = 0; i < 5; i++) {
        duringSwap.add(chat(client, port).statusCode());
      }
      assertTrue(duringSwap.stream().allMatch(status -> status == 200), "every request during the swap: " + duringSwap);

      String streamed = await(stream);
      assertTrue(streamed.endsWith("data: [DONE]\n\n"), "the stream in flight completes: " + streamed);
      assertTrue(streamed.contains("\"finish_reason\":\"stop\""), "the answer is whole: " + streamed);

      JsonObject after = getProxy(client, faultline, id);
      assertEquals("running", after.getString("status"), after.encodePrettily());
      assertNull(after.getValue("error"), after.encodePrettily());
      assertEquals("running", storedStatus(faultline, id));
      assertTrue(events.stream().noneMatch(e -> id.equals(e.getString("proxy_id"))
          && !"running".equals(e.getString("status"))), "the proxy never stopped or failed: " + events);
    } finally {
      await(http.close());
      await(faultline.stop());
    }
  }

  @Test
  void aReplacedJarsNewVersionServesTheNextRequests(Vertx vertx) throws Exception {
    versioned("1").writeTo(plugins.resolve("acme-versioned.jar"));
    Faultline faultline = await(Faultline.start(vertx, config()));
    WebClient client = FaultlineHarness.client(vertx);
    try {
      JsonObject proxy = await(FaultlineHarness.createProxy(client, faultline, new JsonObject().put("name", "versioned")
          .put("provider", "versioned")));
      int port = proxy.getInteger("port");
      assertEquals("1", chat(client, port).getHeader("x-plugin-version"));

      Path v2 = versioned("2").writeTo(build.resolve("acme-versioned.jar"));
      moveIn(v2, "acme-versioned.jar");
      List<String> versions = new ArrayList<>();
      waitFor(() -> {
        HttpResponse<Buffer> served = chat(client, port);
        versions.add(served.statusCode() + " v" + served.getHeader("x-plugin-version"));
        return "2".equals(served.getHeader("x-plugin-version"));
      }, "the proxy to answer from version 2");
      assertTrue(versions.stream().allMatch(v -> v.startsWith("200 ")), "served throughout: " + versions);
      assertEquals("running", getProxy(client, faultline, proxy.getString("id")).getString("status"));
    } finally {
      await(faultline.stop());
    }
  }

  @Test
  void aRemovedJarsProxiesFailWithTheReasonAndComeBackWithIt(Vertx vertx) throws Exception {
    copyMock(MOCK_JAR);
    FaultlineConfig config = config();
    Faultline faultline = await(Faultline.start(vertx, config));
    WebClient client = FaultlineHarness.client(vertx);
    List<JsonObject> events = statusEvents(vertx);
    String id;
    int port;
    try {
      JsonObject proxy = await(FaultlineHarness.createProxy(client, faultline, new JsonObject().put("name", "removed")
          .put("provider", "mock")));
      id = proxy.getString("id");
      port = proxy.getInteger("port");
      expect(chat(client, port), 200);

      Files.delete(plugins.resolve(MOCK_JAR));
      waitFor(() -> "failed".equals(getProxy(client, faultline, id).getString("status")), "the proxy to read failed");
      JsonObject failed = getProxy(client, faultline, id);
      assertEquals("provider plugin 'mock' was removed", failed.getString("error"), failed.encodePrettily());
      JsonObject listed = expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/proxies").send()), 200)
          .bodyAsJsonArray().getJsonObject(0);
      assertEquals("failed", listed.getString("status"));
      assertEquals("provider plugin 'mock' was removed", listed.getString("error"));
      waitFor(() -> events.stream().anyMatch(e -> id.equals(e.getString("proxy_id"))
          && "failed".equals(e.getString("status"))
          && "provider plugin 'mock' was removed".equals(e.getString("error"))), "the failed status event");
      assertRefused(client, port);
      assertEquals("running", storedStatus(faultline, id), "what the user asked for stays stored");

      copyMock(MOCK_JAR);
      waitFor(() -> "running".equals(getProxy(client, faultline, id).getString("status")), "the proxy to come back");
      assertNull(getProxy(client, faultline, id).getValue("error"));
      expect(chat(client, port), 200);
      assertTrue(events.get(events.size() - 1).getString("status").equals("running"), "last event: " + events);
      assertEquals("running", storedStatus(faultline, id));
    } finally {
      await(faultline.stop());
    }

    // A restart over the same database: the proxy runs again, its plugin being there.
    Faultline restarted = await(Faultline.start(vertx, config));
    try {
      assertEquals("running", getProxy(client, restarted, id).getString("status"));
      expect(chat(client, port), 200);
    } finally {
      await(restarted.stop());
    }

    // A restart without the plugin: failed until the jar is dropped in, then running by itself.
    Files.delete(plugins.resolve(MOCK_JAR));
    Faultline withoutPlugin = await(Faultline.start(vertx, config));
    try {
      JsonObject down = getProxy(client, withoutPlugin, id);
      assertEquals("failed", down.getString("status"), down.encodePrettily());
      assertTrue(down.getString("error").contains("'mock' is not loaded"), down.encodePrettily());
      copyMock(MOCK_JAR);
      waitFor(() -> "running".equals(getProxy(client, withoutPlugin, id).getString("status")),
          "the proxy to start once its plugin is dropped in");
      expect(chat(client, port), 200);
    } finally {
      await(withoutPlugin.stop());
    }
  }

  @Test
  void aDuplicateJarTakesOverWhenTheOriginalGoes(Vertx vertx) throws Exception {
    copyMock(MOCK_JAR);
    // Sorts after provider-mock.jar: refused at boot, the original having the plugin id.
    copyMock("zz-provider-mock.jar");
    Faultline faultline = await(Faultline.start(vertx, config()));
    WebClient client = FaultlineHarness.client(vertx);
    List<JsonObject> events = statusEvents(vertx);
    try {
      JsonObject refused = faultline.plugins().describe().getJsonArray("failed").getJsonObject(0);
      assertEquals("zz-provider-mock.jar", refused.getString("file"));
      assertEquals("plugin id 'provider-mock' is already loaded from provider-mock.jar", refused.getString("reason"));
      JsonObject proxy = await(FaultlineHarness.createProxy(client, faultline, new JsonObject().put("name", "dup")
          .put("provider", "mock")));
      String id = proxy.getString("id");
      int port = proxy.getInteger("port");
      Provider original = faultline.plugins().provider("mock").orElseThrow();

      Files.delete(plugins.resolve(MOCK_JAR));
      List<Integer> duringTakeOver = new ArrayList<>();
      waitFor(() -> {
        duringTakeOver.add(chat(client, port).statusCode());
        return faultline.plugins().loaded().stream().anyMatch(p -> p.file().equals("zz-provider-mock.jar"));
      }, "the duplicate to take over");
      assertTrue(duringTakeOver.stream().allMatch(status -> status == 200), "served throughout: " + duringTakeOver);
      assertNotSame(original, faultline.plugins().provider("mock").orElseThrow());
      assertEquals(0, faultline.plugins().failed().size(), faultline.plugins().describe().encodePrettily());
      expect(chat(client, port), 200);
      JsonObject after = getProxy(client, faultline, id);
      assertEquals("running", after.getString("status"), after.encodePrettily());
      assertTrue(events.stream().noneMatch(e -> id.equals(e.getString("proxy_id"))
          && !"running".equals(e.getString("status"))), "the proxy never stopped or failed: " + events);
      assertEquals("running", storedStatus(faultline, id));
    } finally {
      await(faultline.stop());
    }
  }

  private FaultlineConfig config() {
    return FaultlineHarness.config(dataDir).withPluginsDir(plugins);
  }

  private void copyMock(String name) throws IOException {
    moveIn(FaultlineHarness.PLUGINS.resolve(MOCK_JAR), name);
  }

  /** The same content, written beside it and moved over it whole, with a newer file time. */
  private void replace(String name) throws IOException {
    Path staged = plugins.resolve(name + ".part");
    Files.copy(plugins.resolve(name), staged, StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(staged, FileTime.from(Instant.now().plusSeconds(5)));
    Files.move(staged, plugins.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** As a deployment would: written beside the folder's jars, then moved in whole. */
  private void moveIn(Path jar, String name) throws IOException {
    Path staged = plugins.resolve(name + ".part");
    Files.copy(jar, staged, StandardCopyOption.REPLACE_EXISTING);
    Files.move(staged, plugins.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static PluginJarBuilder versioned(String version) {
    return PluginJarBuilder.plugin("acme-versioned").version(version + ".0.0")
        .source(VERSIONED.formatted(version)).extension("com.acme.versioned.VersionedProvider");
  }

  private static List<JsonObject> statusEvents(Vertx vertx) {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(ProxyManager.STATUS_ADDRESS,
        message -> events.add(message.body()));
    await(consumer.completion());
    return events;
  }

  private static HttpResponse<Buffer> chat(WebClient client, int port) {
    return await(client.post(port, "127.0.0.1", "/v1/chat/completions")
        .putHeader("Authorization", "Bearer sk-test").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(QUICK_CHAT)));
  }

  /** A slow stream's whole body; fails if the connection breaks before its end. */
  private static Future<String> streamBody(HttpClient http, int port) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI("/v1/chat/completions").addHeader("Authorization", "Bearer sk-test")
        .addHeader("content-type", "application/json");
    return http.request(options)
        .compose(request -> request.send(SLOW_STREAM).compose(response -> response.statusCode() == 200
            ? response.body() : Future.failedFuture("stream answered " + response.statusCode())))
        .map(Buffer::toString);
  }

  private static void assertRefused(WebClient client, int port) {
    Throwable error = await(client.post(port, "127.0.0.1", "/v1/chat/completions")
        .sendBuffer(Buffer.buffer(QUICK_CHAT))
        .transform(result -> Future.succeededFuture(result.cause())));
    assertTrue(error instanceof ConnectException || String.valueOf(error).contains("Connection refused"),
        "the port of a proxy whose provider went is closed, but it answered or failed otherwise: " + error);
  }

  private static JsonObject getProxy(WebClient client, Faultline faultline, String id) {
    return expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + id).send()), 200)
        .bodyAsJsonObject();
  }

  private static String storedStatus(Faultline faultline, String id) {
    Row row = await(faultline.database().pool().preparedQuery("SELECT status FROM proxies WHERE id = ?")
        .execute(Tuple.of(id))).iterator().next();
    return row.getString("status");
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
