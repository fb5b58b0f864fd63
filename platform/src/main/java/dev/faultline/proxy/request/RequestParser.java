package dev.faultline.proxy.request;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.ProxyRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns the raw request into a {@link ProxyRequest}, refusing a JSON body that does not parse
 * the way OpenAI refuses it, with OpenAI's own words. Bodies that are not JSON (multipart audio
 * uploads) pass as bytes.
 */
final class RequestParser {

  /** OpenAI's answer to a body it cannot parse, word for word (its {@code code} and {@code param} are null). */
  static final String UNPARSEABLE = "We could not parse the JSON body of your request. (HINT: This likely means you "
      + "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not "
      + "valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at "
      + "help.openai.com.)";

  /** OpenAI's POSTs that carry no body, sent with a JSON content type all the same by its SDKs. */
  private static final Pattern BODILESS_ACTION = Pattern.compile(".*/(cancel|pause|resume)/?");

  private RequestParser() {
  }

  static ProxyRequest parse(HttpServerRequest request, Buffer body, String requestId) {
    JsonObject json = isJson(request, body) ? parseObject(body) : null;
    return new ProxyRequest(requestId, request.method().name(), request.uri(), Headers.copyOf(request.headers()),
        body, json);
  }

  private static boolean isJson(HttpServerRequest request, Buffer body) {
    String type = request.getHeader("content-type");
    boolean saysJson = type != null && type.toLowerCase(Locale.ROOT).contains("json");
    if (body.length() == 0) {
      // Nothing is not JSON: a request that says it sends JSON and sends nothing gets OpenAI's
      // 400, except where nothing is the body (a GET, a cancel).
      if (saysJson && expectsBody(request)) {
        throw invalid(UNPARSEABLE);
      }
      return false;
    }
    if (type != null) {
      return saysJson;
    }
    byte first = body.getByte(0);
    return first == '{' || first == '[';
  }

  private static boolean expectsBody(HttpServerRequest request) {
    HttpMethod method = request.method();
    return (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH)
        && !BODILESS_ACTION.matcher(request.path()).matches();
  }

  private static JsonObject parseObject(Buffer body) {
    Object value;
    try {
      value = JsonReader.value(body);
    } catch (DecodeException e) {
      // The parser's own words (offsets, Jackson's feature names) help nobody who called an API.
      throw invalid(UNPARSEABLE);
    }
    if (value instanceof JsonObject object) {
      return object;
    }
    throw invalid("The JSON body of your request must be an object, got " + describe(value) + ".");
  }

  private static String describe(Object value) {
    return value == null ? "null" : value.getClass().getSimpleName().replace("Json", "").toLowerCase(Locale.ROOT);
  }

  private static ProxyError invalid(String message) {
    return new ProxyError(ApiError.invalidRequest(message, null, null));
  }
}
