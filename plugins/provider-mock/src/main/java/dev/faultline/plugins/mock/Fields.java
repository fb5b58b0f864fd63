package dev.faultline.plugins.mock;

import dev.faultline.plugin.api.ApiError;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;

/**
 * Reads request fields and refuses bad ones with OpenAI's own wording and codes, so a client's
 * error handling can be exercised against the mock. An explicit {@code null} counts as absent,
 * as it does for OpenAI.
 */
final class Fields {

  /** OpenAI's answer to a body it cannot parse, word for word, as the proxy itself gives it. */
  static final String UNPARSEABLE = "We could not parse the JSON body of your request. (HINT: This likely means you "
      + "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not "
      + "valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at "
      + "help.openai.com.)";

  private Fields() {
  }

  static JsonObject body(JsonObject json) {
    if (json == null) {
      throw new BadRequest(ApiError.invalidRequest(UNPARSEABLE, null, null));
    }
    return json;
  }

  static String requiredString(JsonObject json, String name) {
    return requiredString(json, name, name);
  }

  /** @param param where the field sits in the request, e.g. {@code messages[2].role} */
  static String requiredString(JsonObject json, String name, String param) {
    Object value = json.getValue(name);
    if (value == null) {
      throw missing(param);
    }
    if (!(value instanceof String text)) {
      throw invalidType(param, "a string", value);
    }
    return text;
  }

  static JsonArray requiredArray(JsonObject json, String name) {
    Object value = required(json, name);
    if (!(value instanceof JsonArray array)) {
      throw invalidType(name, "an array", value);
    }
    if (array.isEmpty()) {
      throw new BadRequest(ApiError.invalidRequest("Invalid '" + name + "': empty array. Expected an array "
          + "with minimum length 1, but got an empty array instead.", "empty_array", name));
    }
    return array;
  }

  static Object required(JsonObject json, String name) {
    Object value = json.getValue(name);
    if (value == null) {
      throw missing(name);
    }
    return value;
  }

  /** An integer in {@code [min, max]}, or {@code null} when absent. */
  static Integer optionalInt(JsonObject json, String name, int min, int max) {
    Object value = json.getValue(name);
    if (value == null) {
      return null;
    }
    if (!isInteger(value)) {
      throw invalidType(name, "an integer", value);
    }
    long number = value instanceof BigInteger big ? (big.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE)
        : ((Number) value).longValue();
    if (number < min) {
      throw new BadRequest(ApiError.invalidRequest("Invalid '" + name + "': integer below minimum value. "
          + "Expected a value >= " + min + ", but got " + number + " instead.", "integer_below_min_value", name));
    }
    if (number > max) {
      throw new BadRequest(ApiError.invalidRequest("Invalid '" + name + "': integer above maximum value. "
          + "Expected a value <= " + max + ", but got " + number + " instead.", "integer_above_max_value", name));
    }
    return (int) number;
  }

  static boolean optionalBoolean(JsonObject json, String name) {
    Object value = json.getValue(name);
    if (value != null && !(value instanceof Boolean)) {
      throw invalidType(name, "a boolean", value);
    }
    return Boolean.TRUE.equals(value);
  }

  static JsonObject optionalObject(JsonObject json, String name) {
    Object value = json.getValue(name);
    if (value != null && !(value instanceof JsonObject)) {
      throw invalidType(name, "an object", value);
    }
    return (JsonObject) value;
  }

  static boolean isInteger(Object value) {
    return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
        || value instanceof BigInteger;
  }

  static BadRequest missing(String name) {
    return new BadRequest(ApiError.invalidRequest("Missing required parameter: '" + name + "'.",
        "missing_required_parameter", name));
  }

  static BadRequest invalidType(String name, String expected, Object got) {
    return new BadRequest(ApiError.invalidRequest("Invalid type for '" + name + "': expected " + expected
        + ", but got " + jsonType(got) + " instead.", "invalid_type", name));
  }

  static BadRequest invalidValue(String name, Object got, String supported) {
    return new BadRequest(ApiError.invalidRequest("Invalid value for '" + name + "': '" + got + "'. Supported values are: "
        + supported + ".", "invalid_value", name));
  }

  static String jsonType(Object value) {
    if (value == null) {
      return "null";
    } else if (value instanceof String) {
      return "a string";
    } else if (isInteger(value)) {
      return "an integer";
    } else if (value instanceof Number) {
      return "a decimal";
    } else if (value instanceof Boolean) {
      return "a boolean";
    } else if (value instanceof JsonArray) {
      return "an array";
    }
    return "an object";
  }
}
