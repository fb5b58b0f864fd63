package dev.faultline.telemetry;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configured with an OTLP endpoint, Faultline sends its spans there: a real loopback HTTP server
 * stands in for the collector and receives them on {@code /v1/traces}, at the latest when
 * Faultline stops.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OtlpExportTest {

  @TempDir
  Path dataDir;

  private record Received(String path, String contentType, String body) {
  }

  @Test
  void aSpanWithItsGenAiAttributesReachesTheCollector(Vertx vertx) {
    List<Received> received = new CopyOnWriteArrayList<>();
    HttpServer collector = await(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      received.add(new Received(request.path(), request.getHeader("content-type"),
          new String(body.getBytes(), StandardCharsets.ISO_8859_1)));
      request.response().putHeader("content-type", "application/x-protobuf").end();
    })).listen(0, "127.0.0.1"));
    FaultlineConfig config = FaultlineHarness.config(dataDir)
        .withTelemetry(new FaultlineConfig.Telemetry("http://127.0.0.1:" + collector.actualPort(), "otlp-test"));
    Faultline faultline = await(Faultline.start(vertx, config));
    try {
      WebClient client = FaultlineHarness.client(vertx);
      int port = await(FaultlineHarness.createProxy(client, faultline,
          new JsonObject().put("name", "exported").put("provider", "mock"))).getInteger("port");
      assertEquals(200, await(client.post(port, "127.0.0.1", "/v1/chat/completions")
          .putHeader("authorization", "Bearer sk-exported-secret").putHeader("content-type", "application/json")
          .sendBuffer(Buffer.buffer("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")))
          .statusCode());
    } finally {
      // Stopping sends what the batch still holds.
      await(faultline.stop());
    }
    try {
      assertFalse(received.isEmpty(), "the collector got the spans");
      Received export = received.get(0);
      assertEquals("/v1/traces", export.path());
      assertEquals("application/x-protobuf", export.contentType());
      for (String expected : List.of("otlp-test", "gen_ai.operation.name", "chat", "gen_ai.request.model", "gpt-4o-mini",
          "faultline.proxy.name", "exported")) {
        assertTrue(export.body().contains(expected), "the export carries " + expected);
      }
      assertFalse(export.body().contains("sk-exported-secret"), "no API key leaves for the collector");
    } finally {
      await(collector.close());
    }
  }
}
