package dev.faultline.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.Provider;
import dev.faultline.plugin.api.ProviderContext;
import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.plugin.api.ProxyRequest;
import dev.faultline.testing.PluginJarBuilder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host against the real bundled plugin jars plus third-party jars built at test time, good
 * and broken: every broken jar is skipped with a reason, the others load and work.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PluginHostTest {

  static final String NO_PLUGIN_ID = "acme-no-id.jar";
  static final String MISSING_CLASS = "acme-missing-class.jar";
  static final String START_THROWS = "acme-start-throws.jar";
  static final String START_BLOCKS = "acme-start-blocks.jar";
  static final String NOT_A_ZIP = "acme-not-a-zip.jar";
  static final String BUNDLES_API = "acme-echo.jar";

  /** A provider answering with the request body; the bundling plugin uses it. */
  static final String ECHO_PROVIDER = """
      package com.acme.echo;

      import dev.faultline.plugin.api.*;
      import io.vertx.core.Future;

      @org.pf4j.Extension
      public class EchoProvider implements Provider {
        public String id() { return "echo"; }
        public String description() { return "echoes the request body"; }
        public ProviderSession open(ProviderContext context) {
          return request -> Future.succeededFuture(ProviderResponse.of(200,
              Headers.of("content-type", "application/json", "x-echo-proxy", context.proxyId()), request.body()));
        }
      }
      """;

  @TempDir
  static Path plugins;

  static PluginHost host;

  @BeforeAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a class-level @Timeout does not cover lifecycle methods
  static void loadPluginsFolder(Vertx vertx, VertxTestContext test) throws IOException {
    copyRealPlugin("provider-mock.jar", plugins);
    copyRealPlugin("provider-openai.jar", plugins);

    PluginJarBuilder.plugin("acme-no-id").without(PluginJarBuilder.PLUGIN_ID)
        .source(provider("com.acme.noid", "NoIdProvider", "noid"))
        .extension("com.acme.noid.NoIdProvider")
        .writeTo(plugins.resolve(NO_PLUGIN_ID));

    PluginJarBuilder.plugin("acme-missing-class")
        .source("""
            package com.acme.missing;
            public class Helper {
              public String id() { return "missing"; }
            }
            """)
        .source("""
            package com.acme.missing;

            import dev.faultline.plugin.api.*;

            @org.pf4j.Extension
            public class MissingProvider implements Provider {
              private final Helper helper = new Helper();
              public String id() { return helper.id(); }
              public ProviderSession open(ProviderContext context) { throw new UnsupportedOperationException(); }
            }
            """)
        .extension("com.acme.missing.MissingProvider")
        .omitClass("com.acme.missing.Helper")
        .writeTo(plugins.resolve(MISSING_CLASS));

    PluginJarBuilder.plugin("acme-start-throws")
        .pluginClass("com.acme.boom.BoomPlugin")
        .source("""
            package com.acme.boom;
            public class BoomPlugin extends org.pf4j.Plugin {
              @Override
              public void start() {
                throw new IllegalStateException("licence server unreachable");
              }
            }
            """)
        .source(provider("com.acme.boom", "BoomProvider", "boom"))
        .extension("com.acme.boom.BoomProvider")
        .writeTo(plugins.resolve(START_THROWS));

    PluginJarBuilder.plugin("acme-start-blocks")
        .pluginClass("com.acme.stuck.StuckPlugin")
        .source("""
            package com.acme.stuck;
            public class StuckPlugin extends org.pf4j.Plugin {
              @Override
              public void start() {
                while (true) {
                  try {
                    Thread.sleep(60_000);
                  } catch (InterruptedException ignored) {
                    // a plugin that ignores being told to stop, too
                  }
                }
              }
            }
            """)
        .source(provider("com.acme.stuck", "StuckProvider", "stuck"))
        .extension("com.acme.stuck.StuckProvider")
        .writeTo(plugins.resolve(START_BLOCKS));

    Files.writeString(plugins.resolve(NOT_A_ZIP), "this is plain text, not a zip archive\n");

    PluginJarBuilder.plugin("acme-echo").version("2.1.0").provider("Acme")
        .source(ECHO_PROVIDER)
        .extension("com.acme.echo.EchoProvider")
        .copyClass(Provider.class)
        .writeTo(plugins.resolve(BUNDLES_API));

    PluginHost.start(vertx, plugins).onComplete(test.succeeding(loaded -> {
      host = loaded;
      test.completeNow();
    }));
  }

  @AfterAll
  static void stopHost() {
    if (host != null) {
      host.stop();
    }
  }

  @Test
  void loadsTheBundledAndTheGoodThirdPartyProviders() {
    assertEquals(Set.of("echo", "mock", "openai"), host.providerIds(), host.describe().encodePrettily());
    assertEquals(Set.of("provider-mock", "provider-openai", "acme-echo"),
        host.loaded().stream().map(PluginHost.LoadedPlugin::id).collect(Collectors.toSet()));
    assertEquals("mock", host.provider("mock").orElseThrow().id());
    assertEquals("openai", host.provider("openai").orElseThrow().id());
    assertTrue(host.provider("boom").isEmpty(), "a plugin that did not start adds no provider");
  }

  @Test
  void skipsEveryBrokenJarByFileName() {
    assertEquals(Set.of(NO_PLUGIN_ID, MISSING_CLASS, START_THROWS, START_BLOCKS, NOT_A_ZIP),
        host.failed().stream().map(PluginHost.FailedPlugin::file).collect(Collectors.toSet()),
        host.describe().encodePrettily());
    assertEquals(5, host.failed().size(), "each broken jar is reported once: " + host.failed());
  }

  @Test
  void noPluginIdIsReportedAsSuch() {
    assertReason(NO_PLUGIN_ID, "Plugin-Id", "'id' cannot be empty");
  }

  @Test
  void aMissingClassIsNamed() {
    assertReason(MISSING_CLASS, "com.acme.missing.MissingProvider", "NoClassDefFoundError", "com/acme/missing/Helper");
  }

  @Test
  void anExceptionFromStartIsQuoted() {
    assertReason(START_THROWS, "did not start", "IllegalStateException", "licence server unreachable");
  }

  @Test
  void aStartThatBlocksIsSkippedAfterItsTime() {
    assertReason(START_BLOCKS, "did not start within 10 s", "blocks");
    assertFalse(host.providerIds().contains("stuck"));
  }

  @Test
  void aJarThatIsNotAZipIsReported() {
    assertReason(NOT_A_ZIP, "not a valid jar (zip) file");
  }

  @Test
  void aPluginBundlingTheApiUsesTheHostsCopy(Vertx vertx, VertxTestContext test) throws Exception {
    try (ZipFile jar = new ZipFile(plugins.resolve(BUNDLES_API).toFile())) {
      assertNotNull(jar.getEntry("dev/faultline/plugin/api/Provider.class"), "the jar really bundles the API");
    }
    Provider echo = host.provider("echo").orElseThrow();
    ClassLoader pluginLoader = echo.getClass().getClassLoader();
    assertInstanceOf(HostFirstClassLoader.class, pluginLoader);
    assertNotSame(PluginHost.class.getClassLoader(), pluginLoader, "the extension comes from the plugin jar");
    assertSame(Provider.class, pluginLoader.loadClass(Provider.class.getName()), "the host's Provider, not the bundled one");
    assertEquals("echoes the request body", echo.description());

    vertx.runOnContext(v -> echo.open(context(vertx, "p-echo"))
        .forward(new ProxyRequest("r1", "POST", "/v1/chat/completions", Headers.empty(),
            Buffer.buffer("{\"model\":\"m\"}"), new JsonObject().put("model", "m")))
        .compose(PluginHostTest::readBody)
        .onComplete(test.succeeding(reply -> test.verify(() -> {
          assertEquals(200, reply.status());
          assertEquals("p-echo", reply.headers().get("x-echo-proxy").orElse(null));
          assertEquals("{\"model\":\"m\"}", reply.body().toString());
          test.completeNow();
        }))));
  }

  @Test
  void describesLoadedPluginsAndFailures() {
    JsonObject description = host.describe();
    assertEquals(plugins.toAbsolutePath().toString(), description.getString("folder"));

    Map<String, JsonObject> loaded = byKey(description.getJsonArray("plugins"), "id");
    assertEquals(Set.of("provider-mock", "provider-openai", "acme-echo"), loaded.keySet());
    JsonObject mock = loaded.get("provider-mock");
    assertEquals(new JsonArray().add("provider:mock"), mock.getJsonArray("extensions"));
    assertEquals("provider-mock.jar", mock.getString("file"));
    assertEquals("Faultline", mock.getString("provider"));
    assertNotNull(mock.getString("version"));
    assertEquals(new JsonArray().add("provider:openai"), loaded.get("provider-openai").getJsonArray("extensions"));
    JsonObject echo = loaded.get("acme-echo");
    assertEquals("2.1.0", echo.getString("version"));
    assertEquals("Acme", echo.getString("provider"));
    assertEquals(new JsonArray().add("provider:echo"), echo.getJsonArray("extensions"));

    Map<String, JsonObject> failed = byKey(description.getJsonArray("failed"), "file");
    assertEquals(Set.of(NO_PLUGIN_ID, MISSING_CLASS, START_THROWS, START_BLOCKS, NOT_A_ZIP), failed.keySet());
    failed.values().forEach(f -> {
      assertEquals(Set.of("file", "reason"), f.fieldNames(), f.encode());
      assertTrue(!f.getString("reason").isBlank(), f.encode());
    });
  }

  @Test
  void createsAMissingPluginsFolder(Vertx vertx, VertxTestContext test, @TempDir Path dir) {
    Path missing = dir.resolve("not/yet/plugins");
    PluginHost.start(vertx, missing).onComplete(test.succeeding(empty -> test.verify(() -> {
      assertTrue(Files.isDirectory(missing), "the folder is created");
      assertEquals(Set.of(), empty.providerIds());
      assertEquals(List.of(), empty.failed());
      assertEquals(0, empty.describe().getJsonArray("plugins").size());
      empty.stop();
      test.completeNow();
    })));
  }

  @Test
  void aSecondJarWithATakenProviderIdFails(Vertx vertx, VertxTestContext test, @TempDir Path dir) throws IOException {
    copyRealPlugin("provider-mock.jar", dir);
    // Sorts after provider-mock.jar, so the real mock is loaded first and keeps its id.
    PluginJarBuilder.plugin("zz-mock-clone")
        .source(provider("com.acme.clone", "CloneProvider", "mock"))
        .extension("com.acme.clone.CloneProvider")
        .writeTo(dir.resolve("zz-mock-clone.jar"));

    PluginHost.start(vertx, dir).onComplete(test.succeeding(two -> test.verify(() -> {
      assertEquals(Set.of("mock"), two.providerIds());
      assertEquals("dev.faultline.plugins.mock.MockProvider", two.provider("mock").orElseThrow().getClass().getName());
      assertEquals(List.of("provider-mock"), two.loaded().stream().map(PluginHost.LoadedPlugin::id).toList());
      assertEquals(1, two.failed().size(), two.failed().toString());
      PluginHost.FailedPlugin clone = two.failed().get(0);
      assertEquals("zz-mock-clone.jar", clone.file());
      assertTrue(clone.reason().contains("'mock'") && clone.reason().contains("already taken"), clone.reason());
      two.stop();
      test.completeNow();
    })));
  }

  @Test
  void aJarRefusedForATakenProviderIdTakesOverWhenTheFirstGoes(Vertx vertx, VertxTestContext test, @TempDir Path dir)
      throws IOException {
    copyRealPlugin("provider-mock.jar", dir);
    PluginJarBuilder.plugin("zz-mock-clone")
        .source(provider("com.acme.clone", "CloneProvider", "mock"))
        .extension("com.acme.clone.CloneProvider")
        .writeTo(dir.resolve("zz-mock-clone.jar"));
    List<PluginHost.PluginChange> changes = new java.util.concurrent.CopyOnWriteArrayList<>();

    PluginHost.start(vertx, dir)
        .compose(two -> {
          two.onChange(change -> {
            changes.add(change);
            return Future.succeededFuture();
          });
          // Watched only so that rescan runs; the hour-long period never fires during the test.
          two.watch(vertx, TimeUnit.HOURS.toMillis(1));
          try {
            Files.delete(dir.resolve("provider-mock.jar"));
          } catch (IOException e) {
            return Future.failedFuture(e);
          }
          return two.rescan().map(two);
        })
        .onComplete(test.succeeding(two -> test.verify(() -> {
          assertEquals("com.acme.clone.CloneProvider", two.provider("mock").orElseThrow().getClass().getName(),
              "the clone took over the provider id");
          assertEquals(List.of("zz-mock-clone"), two.loaded().stream().map(PluginHost.LoadedPlugin::id).toList());
          assertEquals(List.of(), two.failed(), "the clone is no longer reported as failed");
          assertEquals(List.of(new PluginHost.PluginChange(Set.of(), Set.of("mock"), Map.of(), Set.of())), changes,
              "the provider is replaced, not removed then added");
          two.stop();
          test.completeNow();
        })));
  }

  private static void assertReason(String file, String... fragments) {
    PluginHost.FailedPlugin failure = host.failed().stream().filter(f -> f.file().equals(file)).findFirst()
        .orElseThrow(() -> new AssertionError(file + " is not reported as failed: " + host.failed()));
    for (String fragment : fragments) {
      assertTrue(failure.reason().contains(fragment),
          file + ": the reason should mention '" + fragment + "' but is: " + failure.reason());
    }
  }

  /** The source of a provider extension with the given id. */
  private static String provider(String pkg, String className, String id) {
    return """
        package %s;

        import dev.faultline.plugin.api.*;

        @org.pf4j.Extension
        public class %s implements Provider {
          public String id() { return "%s"; }
          public ProviderSession open(ProviderContext context) { throw new UnsupportedOperationException(); }
        }
        """.formatted(pkg, className, id);
  }

  private static void copyRealPlugin(String jar, Path folder) throws IOException {
    String built = System.getProperty("faultline.test.plugins");
    assertNotNull(built, "system property faultline.test.plugins is not set (run the tests through Maven)");
    Path source = Path.of(built, jar);
    assertTrue(Files.isRegularFile(source), source + " is missing: run the tests through Maven, which copies the plugin modules' jars there");
    Files.copy(source, folder.resolve(jar));
  }

  private static Map<String, JsonObject> byKey(JsonArray array, String key) {
    return array.stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(o -> o.getString(key), Function.identity()));
  }

  private static ProviderContext context(Vertx vertx, String proxyId) {
    return new ProviderContext() {
      public Vertx vertx() {
        return vertx;
      }

      public String proxyId() {
        return proxyId;
      }

      public String upstream() {
        return null;
      }

      public JsonObject options() {
        return new JsonObject();
      }
    };
  }

  record Reply(int status, Headers headers, Buffer body) {
  }

  /** Reads the whole body; the end handler is set before the data handler so no end is missed. */
  private static Future<Reply> readBody(ProviderResponse response) {
    io.vertx.core.Promise<Reply> done = io.vertx.core.Promise.promise();
    Buffer body = Buffer.buffer();
    response.body().exceptionHandler(done::tryFail);
    response.body().endHandler(v -> done.tryComplete(new Reply(response.status(), response.headers(), body)));
    response.body().handler(body::appendBuffer);
    return done.future();
  }
}
