package dev.faultline.plugins.mock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class EmbeddingsTest {

  private static final String PATH = "/v1/embeddings";

  private Vertx vertx;
  private MockClient mock;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.mock = new MockClient(vertx);
  }

  private static JsonObject embed(Object input) {
    return new JsonObject().put("model", "text-embedding-3-small").put("input", input);
  }

  @Test
  void answersWithOpenAiShape() {
    MockClient.Reply reply = mock.post(PATH, embed("The food was delicious"));
    assertEquals(200, reply.status());
    assertEquals("application/json", reply.header("content-type"));
    JsonObject body = reply.json();
    assertEquals(Set.of("object", "data", "model", "usage"), body.fieldNames());
    assertEquals("list", body.getString("object"));
    assertEquals("text-embedding-3-small", body.getString("model"));
    JsonObject item = body.getJsonArray("data").getJsonObject(0);
    assertEquals(Set.of("object", "index", "embedding"), item.fieldNames());
    assertEquals("embedding", item.getString("object"));
    assertEquals(0, item.getInteger("index"));
    assertEquals(new JsonObject().put("prompt_tokens", 6).put("total_tokens", 6), body.getJsonObject("usage"),
        "22 chars, 4 words");
  }

  @Test
  void vectorsHaveTheDefaultDimensionAndUnitLength() {
    float[] vector = floats(mock.post(PATH, embed("unit")).json(), 0);
    assertEquals(1536, vector.length);
    assertEquals(1.0, norm(vector), 1e-5, "unit length");
  }

  @Test
  void dimensionsComeFromTheRequestOrTheOption() {
    assertEquals(256, floats(mock.post(PATH, embed("x").put("dimensions", 256)).json(), 0).length);
    MockClient configured = new MockClient(vertx, new JsonObject().put("embedding_dimensions", 64));
    float[] vector = floats(configured.post(PATH, embed("x")).json(), 0);
    assertEquals(64, vector.length);
    assertEquals(1.0, norm(vector), 1e-5);
    assertEquals(32, floats(configured.post(PATH, embed("x").put("dimensions", 32)).json(), 0).length,
        "the request wins over the option");
  }

  @Test
  void aShortVectorIsTheLongOneTruncatedAndRenormalised() {
    float[] full = floats(mock.post(PATH, embed("x")).json(), 0);
    float[] short8 = floats(mock.post(PATH, embed("x").put("dimensions", 8)).json(), 0);
    double prefixNorm = 0;
    for (int i = 0; i < 8; i++) {
      prefixNorm += full[i] * (double) full[i];
    }
    prefixNorm = Math.sqrt(prefixNorm);
    for (int i = 0; i < 8; i++) {
      assertEquals(full[i] / prefixNorm, short8[i], 1e-5, "component " + i);
    }
  }

  @Test
  void isDeterministicPerInputAndModel() {
    float[] a = floats(mock.post(PATH, embed("same")).json(), 0);
    assertArrayEquals(a, floats(new MockClient(vertx).post(PATH, embed("same")).json(), 0));
    assertFalse(Arrays.equals(a, floats(mock.post(PATH, embed("other")).json(), 0)));
    assertFalse(Arrays.equals(a,
        floats(mock.post(PATH, embed("same").put("model", "text-embedding-3-large")).json(), 0)));
  }

  @Test
  void embedsEveryItemOfAnArray() {
    JsonObject body = mock.post(PATH, embed(new JsonArray().add("first").add("second").add("first"))).json();
    JsonArray data = body.getJsonArray("data");
    assertEquals(3, data.size());
    for (int i = 0; i < 3; i++) {
      assertEquals(i, data.getJsonObject(i).getInteger("index"));
    }
    assertArrayEquals(floats(body, 0), floats(body, 2), "equal inputs, equal vectors");
    assertNotEquals(floats(body, 0)[0], floats(body, 1)[0]);
    assertEquals(2 + 2 + 2, body.getJsonObject("usage").getInteger("prompt_tokens"));
  }

  @Test
  void acceptsTokenArrays() {
    JsonObject single = mock.post(PATH, embed(new JsonArray(List.of(1, 2, 3)))).json();
    assertEquals(1, single.getJsonArray("data").size(), "one token array is one input");
    assertEquals(3, single.getJsonObject("usage").getInteger("prompt_tokens"));
    JsonObject many = mock.post(PATH, embed(new JsonArray().add(new JsonArray(List.of(1, 2))).add(new JsonArray(List.of(9))))).json();
    assertEquals(2, many.getJsonArray("data").size());
    assertEquals(3, many.getJsonObject("usage").getInteger("prompt_tokens"));
  }

  @Test
  void base64DecodesToTheFloatForm() {
    float[] asFloats = floats(mock.post(PATH, embed("encode me").put("encoding_format", "float")).json(), 0);
    String encoded = mock.post(PATH, embed("encode me").put("encoding_format", "base64")).json()
        .getJsonArray("data").getJsonObject(0).getString("embedding");
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(encoded)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(asFloats.length * 4, bytes.remaining(), "float32 per component");
    float[] decoded = new float[asFloats.length];
    for (int i = 0; i < decoded.length; i++) {
      decoded[i] = bytes.getFloat();
    }
    assertArrayEquals(asFloats, decoded, "base64 carries exactly the floats of the JSON form");
  }

  @Test
  void refusesBadRequests() {
    assertBad(new JsonObject().put("model", "text-embedding-3-small"), "input", "missing_required_parameter");
    assertBad(new JsonObject().put("input", "x"), "model", "missing_required_parameter");
    assertBad(embed(""), "input", "string_below_min_length");
    assertBad(embed(new JsonArray()), "input", "invalid_value");
    assertBad(embed(new JsonArray().add("ok").add("")), "input", "invalid_value");
    assertBad(embed(12), "input", "invalid_type");
    assertBad(embed("x").put("encoding_format", "hex"), "encoding_format", "invalid_value");
    assertBad(embed("x").put("dimensions", 0), "dimensions", "integer_below_min_value");
  }

  private void assertBad(JsonObject request, String param, String code) {
    MockClient.Reply reply = mock.post(PATH, request);
    assertEquals(400, reply.status(), "for " + request.encode());
    JsonObject error = reply.json().getJsonObject("error");
    assertEquals("invalid_request_error", error.getString("type"));
    assertEquals(param, error.getString("param"), "for " + request.encode());
    assertEquals(code, error.getString("code"), "for " + request.encode());
    assertTrue(error.getString("message").contains("'" + param + "'"), error.getString("message"));
  }

  private static float[] floats(JsonObject body, int index) {
    JsonArray embedding = body.getJsonArray("data").getJsonObject(index).getJsonArray("embedding");
    float[] vector = new float[embedding.size()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = embedding.getNumber(i).floatValue();
    }
    return vector;
  }

  private static double norm(float[] vector) {
    double sum = 0;
    for (float component : vector) {
      sum += component * (double) component;
    }
    return Math.sqrt(sum);
  }
}
