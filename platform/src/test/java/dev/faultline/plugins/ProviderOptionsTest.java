package dev.faultline.plugins;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
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
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Providers describe their options: GET /api/plugins shows them per provider, the host refuses
 * what a description rules out before the provider sees it (even for a proxy saved stopped), the
 * provider's own checks still apply, and a third-party provider that describes nothing works as
 * before.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class ProviderOptionsTest {

  @TempDir
  Path dataDir;
  @TempDir
  Path pluginsDir;

  private Faultline faultline;
  private WebClient admin;
  private int port;

  @BeforeEach
  void start(Vertx vertx) throws IOException {
    for (String jar : new String[] {"provider-mock.jar", "provider-openai.jar"}) {
      Files.copy(FaultlineHarness.PLUGINS.resolve(jar), pluginsDir.resolve(jar));
    }
    thirdParty("acme-regions", "regions", "List.of(FaultParam.choice(\"region\", \"where\", \"eu\", \"us\").asRequired())");
    thirdParty("acme-plain", "plain", null);
    faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir).withPluginsDir(pluginsDir)));
    admin = FaultlineHarness.client(vertx);
    port = faultline.adminPort();
  }

  @AfterEach
  void stop() {
    if (faultline != null) {
      await(faultline.stop());
    }
  }

  @Test
  void pluginsListEachProvidersOptions() {
    JsonObject plugins = expect(await(admin.get(port, "127.0.0.1", "/api/plugins").send()), 200).bodyAsJsonObject();
    Map<String, JsonObject> providers = plugins.getJsonArray("providers").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(p -> p.getString("id"), Function.identity()));
    assertEquals(java.util.Set.of("mock", "openai", "regions", "plain"), providers.keySet(), plugins.encodePrettily());

    JsonObject openai = providers.get("openai");
    assertEquals("provider-openai", openai.getString("plugin"));
    assertEquals("https://api.openai.com", openai.getString("default_upstream"));
    assertEquals(new JsonObject().put("name", "max_connections").put("type", "integer")
        .put("description", "pooled upstream connections per proxy event loop").put("required", false)
        .put("default", 256).put("min", 1L).put("max", (long) Integer.MAX_VALUE), option(openai, "max_connections"));
    assertEquals(10_000, option(openai, "connect_timeout_ms").getInteger("default"));
    assertEquals(600, option(openai, "idle_timeout_seconds").getInteger("default"));

    JsonObject mock = providers.get("mock");
    assertEquals(3, mock.getJsonArray("options").size());
    JsonObject pace = option(mock, "tokens_per_second");
    assertEquals("number", pace.getString("type"));
    assertEquals(0.0, pace.getDouble("min"));
    assertEquals(1_000_000.0, pace.getDouble("max"));
    assertEquals(1536, option(mock, "embedding_dimensions").getInteger("default"));
    assertEquals(null, option(mock, "completion_tokens").getValue("default"), "it varies per request");

    assertEquals(new JsonArray().add("eu").add("us"), option(providers.get("regions"), "region").getJsonArray("choices"));
    assertTrue(option(providers.get("regions"), "region").getBoolean("required"));
    assertEquals(new JsonArray(), providers.get("plain").getJsonArray("options"), "a provider that describes nothing");
  }

  @Test
  void theHostRefusesWhatADescriptionRulesOutAndTheProviderStillChecksTheRest() {
    HttpResponse<Buffer> wrongType = create("mock", new JsonObject().put("tokens_per_second", "fast"), "stopped");
    assertRefused(wrongType, "options.tokens_per_second",
        "options.tokens_per_second: must be a number from 0 to 1000000, got \"fast\"");
    assertRefused(create("openai", new JsonObject().put("max_connections", 0), "stopped"), "options.max_connections",
        "options.max_connections: must be an integer from 1 to 2147483647, got 0");
    assertRefused(create("regions", new JsonObject(), "stopped"), "options.region",
        "options.region: required by provider regions (one of eu, us)");
    assertRefused(create("regions", new JsonObject().put("region", "mars"), "stopped"), "options.region",
        "must be one of eu, us, got \"mars\"");

    // Within the description but not what the mock takes: its own check answers, as before.
    assertRefused(create("mock", new JsonObject().put("tokens_per_second", 0.001), "running"),
        "options.tokens_per_second", "must be 0 (no delay) or a number from 0.01");
    assertRefused(create("mock", new JsonObject().put("speed", 1), "running"), "options",
        "unknown option 'speed' for provider mock");

    JsonObject saved = expect(create("regions", new JsonObject().put("region", "eu"), "stopped"), 201)
        .bodyAsJsonObject();
    assertEquals(new JsonObject().put("region", "eu"), saved.getJsonObject("options"), "stored untouched");
    assertRefused(await(admin.patch(port, "127.0.0.1", "/api/proxies/" + saved.getString("id"))
        .sendJsonObject(new JsonObject().put("options", new JsonObject().put("region", 3)))), "options.region",
        "must be one of eu, us, got 3");
    JsonObject mock = expect(create("mock", new JsonObject().put("completion_tokens", 4), "running"), 201)
        .bodyAsJsonObject();
    assertEquals(new JsonObject().put("completion_tokens", 4), mock.getJsonObject("options"), "no defaults filled in");
    expect(create("plain", new JsonObject().put("anything", new JsonArray()), "stopped"), 201);
  }

  private HttpResponse<Buffer> create(String provider, JsonObject options, String status) {
    return await(admin.post(port, "127.0.0.1", "/api/proxies").sendJsonObject(new JsonObject()
        .put("name", provider + "-" + options.hashCode() + "-" + status).put("provider", provider)
        .put("options", options).put("status", status)));
  }

  private static void assertRefused(HttpResponse<Buffer> response, String field, String message) {
    assertEquals(400, response.statusCode(), response.bodyAsString());
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertEquals(field, error.getString("field"), response.bodyAsString());
    assertTrue(error.getString("message").contains(message), error.getString("message"));
  }

  private static JsonObject option(JsonObject provider, String name) {
    return provider.getJsonArray("options").stream().map(JsonObject.class::cast)
        .filter(o -> o.getString("name").equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(name + " is not among " + provider.encode()));
  }

  /** A provider plugin that answers nothing, describing {@code options} (Java) or nothing at all. */
  private void thirdParty(String pluginId, String providerId, String options) {
    String described = options == null ? ""
        : "public java.util.List<FaultParam> options() { return java.util.List.of(" + options.substring(
            "List.of(".length(), options.length() - 1) + "); }";
    PluginJarBuilder.plugin(pluginId)
        .source("""
            package com.acme.%s;

            import dev.faultline.plugin.api.*;

            @org.pf4j.Extension
            public class OptionsProvider implements Provider {
              public String id() { return "%s"; }
              %s
              public ProviderSession open(ProviderContext context) {
                return request -> io.vertx.core.Future.failedFuture("never called here");
              }
            }
            """.formatted(providerId, providerId, described))
        .extension("com.acme." + providerId + ".OptionsProvider")
        .writeTo(pluginsDir.resolve(pluginId + ".jar"));
  }
}
