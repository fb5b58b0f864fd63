package dev.faultline.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.Provider;
import dev.faultline.plugin.api.ProviderContext;
import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.plugin.api.ProviderSession;
import dev.faultline.plugin.api.ProxyRequest;
import dev.faultline.testing.PluginJarBuilder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.lang3.StringUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.PluginState;

/**
 * Plugin class isolation with real third-party jars bundled into plugin jars built at test time
 * (as a shading build makes them), loaded by PF4J through the host's class loader rule. The host
 * is the test classpath minus what the shipped jar lacks ({@link ShippedHost}), so a library the
 * host does not ship is really absent.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PluginIsolationTest {

  static final String HOST_JACKSON = com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString();
  static final String BUNDLED_JACKSON = "2.17.2";

  /** Relays a request with Vert.x's web client, which the plugin bundles and the host lacks. */
  static final String RELAY_PROVIDER = """
      package com.acme.relay;

      import dev.faultline.plugin.api.*;
      import io.vertx.core.Future;
      import io.vertx.ext.web.client.WebClient;

      @org.pf4j.Extension
      public class RelayProvider implements Provider {
        public String id() { return "relay"; }
        public ProviderSession open(ProviderContext context) {
          WebClient client = WebClient.create(context.vertx());
          return new ProviderSession() {
            public Future<ProviderResponse> forward(ProxyRequest request) {
              return client.postAbs(context.upstream() + request.uri()).sendBuffer(request.body())
                  .map(r -> ProviderResponse.of(r.statusCode(), Headers.of("content-type", "application/json"),
                      r.bodyAsBuffer()));
            }
            public Future<Void> close() {
              client.close();
              return Future.succeededFuture();
            }
          };
        }
      }
      """;

  /** Parses the body with jackson-databind and answers which Jackson it ran on. */
  static final String JACKSON_PROVIDER = """
      package com.acme.json;

      import com.fasterxml.jackson.databind.JsonNode;
      import com.fasterxml.jackson.databind.ObjectMapper;
      import dev.faultline.plugin.api.*;
      import io.vertx.core.Future;
      import io.vertx.core.buffer.Buffer;

      @org.pf4j.Extension
      public class JacksonProvider implements Provider {
        private static final ObjectMapper MAPPER = new ObjectMapper();
        public String id() { return "ID"; }
        public ProviderSession open(ProviderContext context) {
          return request -> {
            try {
              JsonNode body = MAPPER.readTree(request.body().getBytes());
              String answer = MAPPER.createObjectNode()
                  .put("model", body.path("model").asText())
                  .put("databind", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString())
                  .put("core", com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString())
                  .toString();
              return Future.succeededFuture(ProviderResponse.of(200,
                  Headers.of("content-type", "application/json"), Buffer.buffer(answer)));
            } catch (java.io.IOException e) {
              return Future.failedFuture(e);
            }
          };
        }
      }
      """;

  /**
   * Describes itself with the commons-lang3 it sees: the version its pom.properties names, whether
   * {@code AppendableJoiner} (new in 3.15) exists, and a join made by that library.
   */
  static final String LANG_PROVIDER = """
      package com.acme.lang;

      import dev.faultline.plugin.api.*;
      import org.apache.commons.lang3.StringUtils;

      @org.pf4j.Extension
      public class LangProvider implements Provider {
        private final String description;

        public LangProvider() throws java.io.IOException {
          java.util.Properties pom = new java.util.Properties();
          try (java.io.InputStream in = LangProvider.class.getClassLoader()
              .getResourceAsStream("META-INF/maven/org.apache.commons/commons-lang3/pom.properties")) {
            pom.load(in);
          }
          boolean joiner;
          try {
            Class.forName("org.apache.commons.lang3.AppendableJoiner", false, LangProvider.class.getClassLoader());
            joiner = true;
          } catch (ClassNotFoundException e) {
            joiner = false;
          }
          description = StringUtils.joinWith(" ", pom.getProperty("version"), joiner);
        }
        public String id() { return "ID"; }
        public String description() { return description; }
        public ProviderSession open(ProviderContext context) { throw new UnsupportedOperationException(); }
      }
      """;

  @TempDir
  static Path plugins;

  static FaultlinePluginManager manager;

  @BeforeAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a class-level @Timeout does not cover lifecycle methods
  static void loadPlugins() {
    PluginJarBuilder.plugin("acme-relay")
        .source(RELAY_PROVIDER).extension("com.acme.relay.RelayProvider")
        .bundleJar(testLib("vertx-web-client-"))
        .bundleJar(testLib("vertx-web-common-"))
        .bundleJar(testLib("vertx-uri-template-"))
        .writeTo(plugins.resolve("acme-relay.jar"));

    PluginJarBuilder.plugin("acme-json-bundled")
        .source(JACKSON_PROVIDER.replace("\"ID\"", "\"json-bundled\"")).extension("com.acme.json.JacksonProvider")
        .bundleJar(testLib("jackson-databind-" + BUNDLED_JACKSON + ".jar"))
        .bundleJar(testLib("jackson-core-" + BUNDLED_JACKSON + ".jar"))
        .bundleJar(testLib("jackson-annotations-" + BUNDLED_JACKSON + ".jar"))
        .writeTo(plugins.resolve("acme-json-bundled.jar"));
    PluginJarBuilder.plugin("acme-json-host")
        .source(JACKSON_PROVIDER.replace("\"ID\"", "\"json-host\"")).extension("com.acme.json.JacksonProvider")
        .writeTo(plugins.resolve("acme-json-host.jar"));

    PluginJarBuilder.plugin("acme-lang-old")
        .source(LANG_PROVIDER.replace("\"ID\"", "\"lang-old\"")).extension("com.acme.lang.LangProvider")
        .bundleJar(testLib("commons-lang3-3.14.0.jar"))
        .writeTo(plugins.resolve("acme-lang-old.jar"));
    PluginJarBuilder.plugin("acme-lang-new")
        .source(LANG_PROVIDER.replace("\"ID\"", "\"lang-new\"")).extension("com.acme.lang.LangProvider")
        .bundleJar(testLib("commons-lang3-3.17.0.jar"))
        .writeTo(plugins.resolve("acme-lang-new.jar"));

    // Copies of shared classes, a class in a shared package the host lacks, and a resource the host has too.
    PluginJarBuilder.plugin("acme-edges")
        .source("""
            package io.netty.acme;
            public class OnlyInPlugin {
            }
            """)
        .copyClass(Future.class)
        .entry("faultline.yaml", "from: acme-edges\n")
        .writeTo(plugins.resolve("acme-edges.jar"));

    manager = new FaultlinePluginManager(plugins, new ShippedHost(PluginIsolationTest.class.getClassLoader()));
    manager.loadPlugins();
    manager.startPlugins();
    for (String id : List.of("acme-relay", "acme-json-bundled", "acme-json-host", "acme-lang-old", "acme-lang-new",
        "acme-edges")) {
      assertNotNull(manager.getPlugin(id), id + " did not load");
      assertEquals(PluginState.STARTED, manager.getPlugin(id).getPluginState(), id + " did not start: "
          + manager.getPlugin(id).getFailedException());
    }
  }

  @AfterAll
  static void unload() {
    if (manager != null) {
      manager.stopPlugins();
      manager.unloadPlugins();
    }
  }

  @Test
  void theShippedHostReallyLacksTheWebClient() {
    ClassLoader host = new ShippedHost(PluginIsolationTest.class.getClassLoader());
    assertThrows(ClassNotFoundException.class, () -> host.loadClass("io.vertx.ext.web.client.WebClient"));
    assertThrows(ClassNotFoundException.class, () -> host.loadClass("io.vertx.uritemplate.UriTemplate"));
  }

  @Test
  void aPluginBundlingTheWebClientUsesIt(Vertx vertx, VertxTestContext test) throws Exception {
    Provider relay = provider("acme-relay");
    ClassLoader pluginLoader = relay.getClass().getClassLoader();
    assertInstanceOf(HostFirstClassLoader.class, pluginLoader);
    Class<?> webClient = pluginLoader.loadClass("io.vertx.ext.web.client.WebClient");
    assertSame(pluginLoader, webClient.getClassLoader(), "the web client comes from the plugin's jar");
    assertSame(Future.class, pluginLoader.loadClass(Future.class.getName()), "Vert.x core stays the host's");

    HttpServer upstream = vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(body -> req.response()
            .putHeader("content-type", "application/json")
            .end(new JsonObject().put("path", req.path()).put("saw", body.toString()).encode())));
    upstream.listen(0, "127.0.0.1")
        .compose(server -> call(vertx, relay, "http://127.0.0.1:" + server.actualPort(), "{\"model\":\"m\"}"))
        .onComplete(test.succeeding(reply -> test.verify(() -> {
          assertEquals(200, reply.status());
          JsonObject body = new JsonObject(reply.body());
          assertEquals("/v1/chat/completions", body.getString("path"));
          assertEquals("{\"model\":\"m\"}", body.getString("saw"));
          test.completeNow();
        })));
  }

  @Test
  void aPluginBundlingAnotherJacksonUsesItsOwnAndLeavesTheHostsAlone(Vertx vertx, VertxTestContext test)
      throws Exception {
    assertNotEquals(BUNDLED_JACKSON, HOST_JACKSON, "the test needs a bundled Jackson other than the host's");
    Provider bundled = provider("acme-json-bundled");
    Provider host = provider("acme-json-host");
    Class<?> bundledMapper = bundled.getClass().getClassLoader().loadClass(ObjectMapper.class.getName());
    assertSame(bundled.getClass().getClassLoader(), bundledMapper.getClassLoader());
    assertNotSame(ObjectMapper.class, bundledMapper);
    assertSame(ObjectMapper.class, host.getClass().getClassLoader().loadClass(ObjectMapper.class.getName()),
        "a plugin that bundles no Jackson falls back to the host's");

    call(vertx, bundled, null, "{\"model\":\"a\"}")
        .compose(reply -> {
          JsonObject body = new JsonObject(reply.body());
          test.verify(() -> {
            assertEquals("a", body.getString("model"));
            assertEquals(BUNDLED_JACKSON, body.getString("databind"));
            assertEquals(BUNDLED_JACKSON, body.getString("core"));
          });
          return call(vertx, host, null, "{\"model\":\"b\"}");
        })
        .onComplete(test.succeeding(reply -> test.verify(() -> {
          JsonObject body = new JsonObject(reply.body());
          assertEquals("b", body.getString("model"));
          assertEquals(HOST_JACKSON, body.getString("databind"));
          assertEquals(HOST_JACKSON, body.getString("core"));
          assertEquals(HOST_JACKSON, com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
          assertEquals("{\"k\":1}", new ObjectMapper().writeValueAsString(java.util.Map.of("k", 1)),
              "the host's Jackson still works");
          test.completeNow();
        })));
  }

  @Test
  void twoPluginsWithConflictingVersionsOfALibraryEachSeeTheirOwn() throws Exception {
    assertEquals("3.14.0 false", provider("acme-lang-old").description());
    assertEquals("3.17.0 true", provider("acme-lang-new").description());
    Class<?> hostStringUtils = StringUtils.class;
    for (String id : List.of("acme-lang-old", "acme-lang-new")) {
      ClassLoader loader = provider(id).getClass().getClassLoader();
      Class<?> own = loader.loadClass(StringUtils.class.getName());
      assertSame(loader, own.getClassLoader(), id + " has its own commons-lang3");
      assertNotSame(hostStringUtils, own);
    }
  }

  @Test
  void sharedPackagesComeFromTheHostAndFallBackToThePlugin() throws Exception {
    ClassLoader edges = manager.getPluginClassLoader("acme-edges");
    assertSame(Future.class, edges.loadClass(Future.class.getName()), "the host's Vert.x core, not the bundled copy");
    Class<?> onlyInPlugin = edges.loadClass("io.netty.acme.OnlyInPlugin");
    assertSame(edges, onlyInPlugin.getClassLoader(), "a shared package the host lacks falls back to the jar");
    ClassNotFoundException missing = assertThrows(ClassNotFoundException.class,
        () -> edges.loadClass("com.acme.Nowhere"));
    assertTrue(missing.getMessage().contains("com.acme.Nowhere") && missing.getMessage().contains("acme-edges"),
        missing.getMessage());
  }

  @Test
  void resourcesFollowTheSameRule() throws Exception {
    ClassLoader edges = manager.getPluginClassLoader("acme-edges");
    String jar = plugins.resolve("acme-edges.jar").toRealPath().toString();

    String future = "io/vertx/core/Future.class";
    assertFalse(edges.getResource(future).toString().contains(jar), "a shared class file reads as the host's");
    List<URL> futures = Collections.list(edges.getResources(future));
    assertTrue(futures.size() >= 2 && futures.get(futures.size() - 1).toString().contains(jar),
        "the host's first, the plugin's last: " + futures);

    URL config = edges.getResource("faultline.yaml");
    assertTrue(config.toString().contains(jar), "an isolated resource reads as the plugin's: " + config);
    try (InputStream in = edges.getResourceAsStream("faultline.yaml")) {
      assertEquals("from: acme-edges\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    List<URL> configs = Collections.list(edges.getResources("faultline.yaml"));
    assertEquals(2, configs.size(), "the plugin's, then the host's: " + configs);
    assertTrue(configs.get(0).toString().contains(jar), configs.toString());
    assertFalse(configs.get(1).toString().contains(jar), configs.toString());

    assertTrue(edges.getResource("io/netty/acme/OnlyInPlugin.class").toString().contains(jar),
        "a shared package's resource the host lacks falls back to the jar");
  }

  private static Provider provider(String pluginId) {
    List<Provider> found = manager.getExtensions(Provider.class, pluginId);
    assertEquals(1, found.size(), pluginId + " provides " + found);
    return found.get(0);
  }

  private static Future<Reply> call(Vertx vertx, Provider provider, String upstream, String body) {
    Promise<Reply> done = Promise.promise();
    vertx.runOnContext(v -> {
      ProviderSession session = provider.open(context(vertx, upstream));
      session.forward(new ProxyRequest("r1", "POST", "/v1/chat/completions", Headers.empty(), Buffer.buffer(body),
              new JsonObject(body)))
          .compose(PluginIsolationTest::readBody)
          .eventually(() -> session.close())
          .onComplete(done);
    });
    return done.future();
  }

  private static ProviderContext context(Vertx vertx, String upstream) {
    return new ProviderContext() {
      public Vertx vertx() {
        return vertx;
      }

      public String proxyId() {
        return "p-isolation";
      }

      public String upstream() {
        return upstream;
      }

      public JsonObject options() {
        return new JsonObject();
      }
    };
  }

  record Reply(int status, String body) {
  }

  /** Reads the whole body; the end handler is set before the data handler so no end is missed. */
  private static Future<Reply> readBody(ProviderResponse response) {
    Promise<Reply> done = Promise.promise();
    Buffer body = Buffer.buffer();
    response.body().exceptionHandler(done::tryFail);
    response.body().endHandler(v -> done.tryComplete(new Reply(response.status(), body.toString())));
    response.body().handler(body::appendBuffer);
    return done.future();
  }

  /** The one jar in target/test-libs (copied there by the platform's pom) whose name starts so. */
  private static Path testLib(String fileNamePrefix) {
    Path dir = Path.of(System.getProperty("faultline.test.libs", "target/test-libs"));
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> found = files.filter(f -> f.getFileName().toString().startsWith(fileNamePrefix)).toList();
      if (found.size() != 1) {
        throw new IllegalStateException("expected one " + fileNamePrefix + "* in " + dir.toAbsolutePath()
            + " (the platform pom's copy-test-libs puts them there), found " + found);
      }
      return found.get(0);
    } catch (IOException e) {
      throw new IllegalStateException("no test libraries in " + dir.toAbsolutePath()
          + ": run the tests through Maven (generate-test-resources copies them)", e);
    }
  }

  /**
   * The test classpath minus the libraries only the tests have: the shipped host has no Vert.x
   * web client (nor the URI templates it needs), so a plugin must bring its own.
   */
  static final class ShippedHost extends ClassLoader {
    private static final List<String> ABSENT =
        List.of("io.vertx.ext.web.client.", "io.vertx.ext.web.codec.", "io.vertx.uritemplate.");

    ShippedHost(ClassLoader tests) {
      super(tests);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (absent(name)) {
        throw new ClassNotFoundException(name + " (not in the shipped host)");
      }
      return super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
      return absent(name.replace('/', '.')) ? null : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      return absent(name.replace('/', '.')) ? Collections.emptyEnumeration() : super.getResources(name);
    }

    private static boolean absent(String name) {
      return ABSENT.stream().anyMatch(name::startsWith);
    }
  }
}
