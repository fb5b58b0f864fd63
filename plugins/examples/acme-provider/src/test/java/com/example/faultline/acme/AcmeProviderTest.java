package com.example.faultline.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.ProviderContext;
import dev.faultline.plugin.api.ProviderOptionException;
import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.plugin.api.ProviderSession;
import dev.faultline.plugin.api.ProxyRequest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The provider on its own: a session opened with a hand-made context, requests answered in Acme's shapes. */
class AcmeProviderTest {

  private final AcmeProvider provider = new AcmeProvider();

  @Test
  void echoesThePromptWithUsage() {
    ProviderResponse response = forward(session(new JsonObject()), "/v1/generate",
        new JsonObject().put("model", "acme-1").put("prompt", "hello there"));

    assertEquals(200, response.status());
    JsonObject answer = AcmeDialectTest.body(response).toJsonObject();
    assertEquals("echo: hello there", answer.getString("text"));
    assertEquals("gen_req_1", answer.getString("id"));
    assertEquals(new JsonObject().put("input_units", 2).put("output_units", 3), answer.getJsonObject("usage"));
    assertEquals("req_1", response.headers().get("acme-trace-id").orElseThrow());
  }

  @Test
  void streamsOneTokenEventPerWordThenDone() {
    ProviderResponse response = forward(session(new JsonObject().put("prefix", "")), "/v1/generate",
        new JsonObject().put("prompt", "a b").put("stream", true));

    assertTrue(response.eventStream());
    assertEquals("event: token\ndata: {\"text\":\"a \"}\n\n"
        + "event: token\ndata: {\"text\":\"b\"}\n\n"
        + "event: done\ndata: {\"usage\":{\"input_units\":2,\"output_units\":2}}\n\n",
        AcmeDialectTest.body(response).toString());
  }

  @Test
  void anUnknownPathOrAMissingPromptIsRefusedInAcmesShape() {
    ProviderSession session = session(new JsonObject());

    ProviderResponse unknown = forward(session, "/v1/chat/completions", new JsonObject().put("prompt", "hi"));
    ProviderResponse noPrompt = forward(session, "/v1/generate", new JsonObject().put("model", "acme-1"));

    assertEquals(404, unknown.status());
    assertEquals("not_found", AcmeDialectTest.body(unknown).toJsonObject().getJsonObject("failure").getString("kind"));
    assertEquals(400, noPrompt.status());
    assertEquals("prompt: a string is required.",
        AcmeDialectTest.body(noPrompt).toJsonObject().getJsonObject("failure").getString("detail"));
  }

  @Test
  void aBadPrefixIsRefusedNamingTheOption() {
    ProviderOptionException refused = assertThrows(ProviderOptionException.class,
        () -> session(new JsonObject().put("prefix", 42)));
    assertTrue(refused.getMessage().contains("must be a string"), refused.getMessage());
  }

  @Test
  void everyRequestSpeaksAcme() {
    ProxyRequest request = new ProxyRequest("req_1", "POST", "/v1/responses", Headers.empty(), null, null);
    assertSame(AcmeDialect.INSTANCE, provider.dialect(request));
    assertEquals(404, provider.error(request, AcmeDialect.INSTANCE.error(404, null, null)).status());
  }

  private ProviderSession session(JsonObject options) {
    return provider.open(new ProviderContext() {
      @Override
      public Vertx vertx() {
        return null;
      }

      @Override
      public String proxyId() {
        return "prx_test";
      }

      @Override
      public String upstream() {
        return null;
      }

      @Override
      public JsonObject options() {
        return options;
      }
    });
  }

  private static ProviderResponse forward(ProviderSession session, String path, JsonObject body) {
    ProxyRequest request = new ProxyRequest("req_1", "POST", path, Headers.empty(), body.toBuffer(), body);
    return session.forward(request).result();
  }
}
