package dev.faultline.logs;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.testing.PluginJarBuilder;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A provider plugin that prices its own models is believed before the price table. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProviderCostTest {

  /** Answers every call itself with a fixed usage, and prices "house-model" at a cent per thousand tokens. */
  private static final String PROVIDER = """
      package acme;

      import dev.faultline.plugin.api.*;
      import io.vertx.core.Future;
      import io.vertx.core.buffer.Buffer;
      import java.util.Optional;

      @org.pf4j.Extension
      public class PricedProvider implements Provider {
        public String id() { return "priced"; }
        public ProviderSession open(ProviderContext context) {
          return request -> Future.succeededFuture(ProviderResponse.of(200,
              Headers.of("content-type", "application/json"), Buffer.buffer("{\\"model\\":\\"" + request.model()
                  + "\\",\\"usage\\":{\\"prompt_tokens\\":600,\\"completion_tokens\\":400,\\"total_tokens\\":1000}}")));
        }
        public Optional<Cost> cost(String model, Usage usage) {
          return model.equals("house-model") ? Optional.of(new Cost(usage.totalTokens() * 0.00001)) : Optional.empty();
        }
      }
      """;

  @TempDir
  Path dir;

  @Test
  void theProvidersOwnPriceWinsAndTheTableStillPricesTheRest(Vertx vertx) throws IOException {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    PluginJarBuilder.plugin("acme-priced").source(PROVIDER).extension("acme.PricedProvider")
        .writeTo(plugins.resolve("acme-priced.jar"));
    Faultline faultline = await(Faultline.start(vertx, FaultlineHarness.config(dir.resolve("data"))
        .withPluginsDir(plugins).withMonitoring(LogTesting.monitoring(dir, null))));
    try {
      WebClient client = FaultlineHarness.client(vertx);
      JsonObject proxy = LogTesting.proxy(client, faultline, new JsonObject().put("name", "acme").put("provider", "priced")
          .put("require_api_key", false));
      for (String model : List.of("house-model", "test-model", "nobodys-model")) {
        assertEquals(200, await(client.post(proxy.getInteger("port"), "127.0.0.1", "/v1/chat/completions")
            .putHeader("content-type", "application/json")
            .sendBuffer(Buffer.buffer(new JsonObject().put("model", model).encode()))).statusCode());
      }

      List<JsonObject> entries = LogTesting.awaitEntries(client, faultline, "proxy=" + proxy.getString("id"), 3);
      JsonObject nobodys = entries.get(0);
      JsonObject table = entries.get(1);
      JsonObject house = entries.get(2);
      assertEquals("provider", house.getString("cost_source"));
      assertEquals(1000 * 0.00001, house.getDouble("cost_usd"), 1e-12);
      assertEquals("price_table", table.getString("cost_source"), "the provider had no price for it");
      assertEquals((600 * 1000 + 400 * 2000) / 1e6, table.getDouble("cost_usd"), 1e-12);
      assertEquals("unknown_price", nobodys.getString("cost_source"));
      assertEquals(null, nobodys.getValue("cost_usd"));
    } finally {
      await(faultline.stop());
    }
  }
}
