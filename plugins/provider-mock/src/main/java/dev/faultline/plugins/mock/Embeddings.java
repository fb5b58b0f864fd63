package dev.faultline.plugins.mock;

import dev.faultline.plugin.api.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * {@code POST /v1/embeddings}: one deterministic unit vector per input.
 *
 * <p>A vector of {@code d} dimensions is the first {@code d} draws of the input's generator,
 * rescaled to unit length, so a shortened vector is the full one truncated and renormalised,
 * which is what OpenAI's {@code dimensions} parameter promises.
 */
final class Embeddings {

  /** OpenAI's limit on inputs per request. */
  static final int MAX_INPUTS = 2048;

  private Embeddings() {
  }

  static JsonObject answer(JsonObject json, MockOptions options) {
    Fields.body(json);
    String model = Fields.requiredString(json, "model");
    List<Object> inputs = inputs(Fields.required(json, "input"));
    Integer requested = Fields.optionalInt(json, "dimensions", 1, MockOptions.MAX_EMBEDDING_DIMENSIONS);
    int dimensions = requested != null ? requested : options.embeddingDimensions();
    boolean base64 = base64(json.getValue("encoding_format"));

    JsonArray data = new JsonArray();
    int tokens = 0;
    for (int i = 0; i < inputs.size(); i++) {
      Object input = inputs.get(i);
      float[] vector = vector(Hashes.seed(model, input), dimensions);
      data.add(new JsonObject()
          .put("object", "embedding")
          .put("index", i)
          .put("embedding", base64 ? encode(vector) : floats(vector)));
      tokens += input instanceof JsonArray ids ? ids.size() : Math.max(1, TokenCount.text((String) input));
    }
    return new JsonObject()
        .put("object", "list")
        .put("data", data)
        .put("model", model)
        .put("usage", new JsonObject().put("prompt_tokens", tokens).put("total_tokens", tokens));
  }

  /** Each input as a non-empty String or a JsonArray of token ids. */
  static List<Object> inputs(Object value) {
    if (value instanceof String text) {
      return List.of(nonEmpty(text));
    }
    if (!(value instanceof JsonArray array)) {
      throw Fields.invalidType("input", "a string or an array", value);
    }
    if (array.isEmpty() || array.size() > MAX_INPUTS) {
      throw new BadRequest(ApiError.invalidRequest("Invalid 'input': expected an array of "
          + "1 to " + MAX_INPUTS + " items, but got " + array.size() + ".", "invalid_value", "input"));
    }
    if (TextCompletion.isTokens(array)) {
      return List.of(array);
    }
    List<Object> items = new ArrayList<>(array.size());
    for (Object item : array) {
      boolean ok = item instanceof String text ? !text.isEmpty()
          : item instanceof JsonArray tokens && TextCompletion.isTokens(tokens);
      if (!ok) {
        throw new BadRequest(ApiError.invalidRequest("Invalid 'input': every item must be "
            + "a non-empty string or a non-empty array of token ids.", "invalid_value", "input"));
      }
      items.add(item);
    }
    return items;
  }

  static float[] vector(long seed, int dimensions) {
    SplitMix rng = new SplitMix(seed);
    double[] raw = new double[dimensions];
    double norm = 0;
    for (int i = 0; i < dimensions; i++) {
      raw[i] = rng.nextDouble() * 2 - 1;
      norm += raw[i] * raw[i];
    }
    norm = Math.sqrt(norm);
    float[] vector = new float[dimensions];
    for (int i = 0; i < dimensions; i++) {
      vector[i] = (float) (raw[i] / norm);
    }
    return vector;
  }

  private static String nonEmpty(String text) {
    if (text.isEmpty()) {
      throw new BadRequest(ApiError.invalidRequest(
          "Invalid 'input': string too short. Expected a string with minimum length 1, but got an empty string instead.",
          "string_below_min_length", "input"));
    }
    return text;
  }

  private static boolean base64(Object format) {
    if (format == null || "float".equals(format)) {
      return false;
    }
    if ("base64".equals(format)) {
      return true;
    }
    throw Fields.invalidValue("encoding_format", format, "'float' and 'base64'");
  }

  /** Floats, not doubles: JSON then carries the shortest text that reads back to the same float32. */
  private static JsonArray floats(float[] vector) {
    JsonArray array = new JsonArray();
    for (float component : vector) {
      array.add(component);
    }
    return array;
  }

  /** Little-endian float32 bytes, as OpenAI encodes them and its SDKs decode them. */
  static String encode(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float component : vector) {
      bytes.putFloat(component);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
