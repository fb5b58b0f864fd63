package dev.faultline.plugins.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.ProxyRequest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The model list, and what the mock says to requests it does not serve. */
@ExtendWith(VertxExtension.class)
class RoutesTest {

  private MockClient mock;

  @BeforeEach
  void setUp(Vertx vertx) {
    mock = new MockClient(vertx);
  }

  @Test
  void listsCommonModels() {
    MockClient.Reply reply = mock.get("/v1/models");
    assertEquals(200, reply.status());
    assertEquals("application/json", reply.header("content-type"));
    JsonObject body = reply.json();
    assertEquals(Set.of("object", "data"), body.fieldNames());
    assertEquals("list", body.getString("object"));
    Set<String> ids = new HashSet<>();
    for (Object item : body.getJsonArray("data")) {
      JsonObject model = (JsonObject) item;
      assertEquals(Set.of("id", "object", "created", "owned_by"), model.fieldNames(), model.encode());
      assertEquals("model", model.getString("object"));
      assertTrue(model.getLong("created") > 1_600_000_000L, model.encode());
      assertTrue(!model.getString("owned_by").isEmpty(), model.encode());
      ids.add(model.getString("id"));
    }
    assertTrue(ids.containsAll(Set.of("gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3-mini",
        "text-embedding-3-small", "text-embedding-3-large")), ids.toString());
  }

  @Test
  void retrievesOneModel() {
    MockClient.Reply reply = mock.get("/v1/models/gpt-4o-mini");
    assertEquals(200, reply.status());
    assertEquals("gpt-4o-mini", reply.json().getString("id"));
    assertEquals("model", reply.json().getString("object"));
  }

  @Test
  void anUnknownModelIsA404ModelNotFound() {
    MockClient.Reply reply = mock.get("/v1/models/gpt-99");
    assertEquals(404, reply.status());
    assertEquals(new JsonObject().put("error", new JsonObject()
            .put("message", "The model 'gpt-99' does not exist")
            .put("type", "invalid_request_error")
            .put("param", "model")
            .put("code", "model_not_found")),
        reply.json());
  }

  @Test
  void anUnknownUrlIsA404InOpenAiShape() {
    var request = MockClient.request("POST", "/v1/xyz?beta=1", new JsonObject().put("model", "gpt-4o"));
    MockClient.Reply reply = mock.send(request);
    assertEquals(404, reply.status());
    assertEquals("application/json", reply.header("content-type"));
    assertEquals(request.id(), reply.header("x-request-id"));
    JsonObject error = reply.json().getJsonObject("error");
    assertEquals(Set.of("message", "type", "param", "code"), error.fieldNames());
    assertTrue(error.getString("message").startsWith("Unknown request URL: POST /v1/xyz. "), error.getString("message"));
    assertEquals("invalid_request_error", error.getString("type"));
    assertNull(error.getValue("param"));
    assertEquals("unknown_url", error.getString("code"));
  }

  @Test
  void aBodyThatIsNotJsonIsA400() {
    ProxyRequest request = new ProxyRequest("req_1", "POST", "/v1/chat/completions", Headers.empty(),
        Buffer.buffer(), null);
    MockClient.Reply reply = mock.send(request);
    assertEquals(400, reply.status());
    assertEquals("invalid_request_error", reply.json().getJsonObject("error").getString("type"));
  }

  @Test
  void theQueryStringDoesNotChangeTheRoute() {
    MockClient.Reply reply = mock.post("/v1/chat/completions?api-version=1", new JsonObject().put("model", "gpt-4o")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi"))));
    assertEquals(200, reply.status());
  }
}
