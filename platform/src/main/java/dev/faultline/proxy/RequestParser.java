package dev.faultline.proxy;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.ProxyRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Turns the raw request into a {@link ProxyRequest}, refusing a JSON body that does not parse
 * the way OpenAI refuses it. Bodies that are not JSON (multipart audio uploads) pass as bytes.
 */
final class RequestParser {

  private RequestParser() {
  }

  static ProxyRequest parse(HttpServerRequest request, Buffer body, String requestId) {
    JsonObject json = isJson(request, body) ? parseObject(body) : null;
    return new ProxyRequest(requestId, request.method().name(), request.uri(), Headers.copyOf(request.headers()),
        body, json);
  }

  private static boolean isJson(HttpServerRequest request, Buffer body) {
    if (body.length() == 0) {
      return false;
    }
    String type = request.getHeader("content-type");
    if (type != null) {
      return type.toLowerCase().contains("json");
    }
    byte first = body.getByte(0);
    return first == '{' || first == '[';
  }

  private static JsonObject parseObject(Buffer body) {
    Object value;
    try {
      value = body.toJsonValue();
    } catch (DecodeException e) {
      throw invalid("We could not parse the JSON body of your request. (HINT: This likely means you aren't using "
          + "your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid "
          + "JSON: " + e.getMessage() + ")");
    }
    if (value instanceof JsonObject object) {
      return object;
    }
    throw invalid("The JSON body of your request must be an object, got " + describe(value) + ".");
  }

  private static String describe(Object value) {
    return value == null ? "null" : value.getClass().getSimpleName().replace("Json", "").toLowerCase();
  }

  private static ProxyError invalid(String message) {
    return new ProxyError(ApiError.invalidRequest(message, "invalid_json", null));
  }
}
