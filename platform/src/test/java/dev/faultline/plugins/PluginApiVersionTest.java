package dev.faultline.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.plugin.api.PluginApi;
import dev.faultline.testing.PluginJarBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin-Requires against the host's plugin API version, with real jars: a range that leaves the
 * host out is refused naming both sides, a range that fits (or none) loads, a range that is not
 * one is reported, and GET /api/plugins shows the version and each plugin's range.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PluginApiVersionTest {

  private static final String REQUIRES = "Plugin-Requires";

  @Test
  void aPluginIsRefusedUnlessItsRangeHoldsTheHostsVersion(Vertx vertx, VertxTestContext test, @TempDir Path dir)
      throws IOException {
    String built = System.getProperty("faultline.test.plugins");
    assertNotNull(built, "system property faultline.test.plugins is not set (run the tests through Maven)");
    Files.copy(Path.of(built, "provider-mock.jar"), dir.resolve("provider-mock.jar"));
    jar("acme-future", ">=99.0.0 & <100.0.0", dir);
    jar("acme-fits", ">=0.1.0 & <1.0.0", dir);
    jar("acme-any", null, dir);
    jar("acme-garbled", "newest please", dir);

    PluginHost.start(vertx, dir).onComplete(test.succeeding(host -> test.verify(() -> {
      JsonObject described = host.describe();
      assertEquals(PluginApi.VERSION, described.getString("plugin_api_version"));

      Map<String, JsonObject> loaded = byKey(described, "plugins", "id");
      assertEquals(Set.of("provider-mock", "acme-fits", "acme-any"), loaded.keySet(), described.encodePrettily());
      assertEquals(">=0.2.0 & <1.0.0", loaded.get("provider-mock").getString("requires"),
          "the bundled plugins declare their range");
      assertEquals(">=0.1.0 & <1.0.0", loaded.get("acme-fits").getString("requires"));
      assertEquals("*", loaded.get("acme-any").getString("requires"), "no Plugin-Requires is any version");

      Map<String, JsonObject> failed = byKey(described, "failed", "file");
      assertEquals(Set.of("acme-future.jar", "acme-garbled.jar"), failed.keySet(), described.encodePrettily());
      String future = failed.get("acme-future.jar").getString("reason");
      assertTrue(future.contains(">=99.0.0 & <100.0.0") && future.contains("plugin-api " + PluginApi.VERSION),
          "names the versions that fit and the host's: " + future);
      assertTrue(host.provider("future").isEmpty(), "a refused plugin adds nothing");
      String garbled = failed.get("acme-garbled.jar").getString("reason");
      assertTrue(garbled.contains("'newest please' is not a version range"), garbled);
      host.stop();
      test.completeNow();
    })));
  }

  private static void jar(String id, String requires, Path dir) {
    String name = id.substring("acme-".length());
    PluginJarBuilder.plugin(id).manifest(REQUIRES, requires)
        .source("""
            package com.acme.%s;

            import dev.faultline.plugin.api.*;

            @org.pf4j.Extension
            public class Version%sProvider implements Provider {
              public String id() { return "%s"; }
              public ProviderSession open(ProviderContext context) { throw new UnsupportedOperationException(); }
            }
            """.formatted(name, name, name))
        .extension("com.acme." + name + ".Version" + name + "Provider")
        .writeTo(dir.resolve(id + ".jar"));
  }

  private static Map<String, JsonObject> byKey(JsonObject described, String array, String key) {
    return described.getJsonArray(array).stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(o -> o.getString(key), Function.identity()));
  }
}
