package dev.faultline.api;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A change sent to {@code /api/} with a body must say it is JSON (or the endpoint's own type), else
 * 415. A web page can send {@code text/plain}, a form or an untyped body to any address without
 * asking first; JSON it can only send after a CORS preflight, which this server never grants. A
 * change without a body (start, stop, delete) passes: the Origin check stands before it.
 */
final class BodyTypes implements Handler<RoutingContext> {

  static final String JSON = "application/json";
  private static final Set<HttpMethod> CHANGES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
      HttpMethod.DELETE);

  private final Map<Pattern, List<String>> others = new LinkedHashMap<>();

  /** @param others path patterns whose bodies are not JSON, with the media types they take instead */
  BodyTypes(Map<String, List<String>> others) {
    others.forEach((path, types) -> this.others.put(Pattern.compile(path), List.copyOf(types)));
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (!CHANGES.contains(request.method()) || type == null && !hasBody(request)) {
      ctx.next();
      return;
    }
    List<String> taken = taken(request.path());
    String media = type == null ? null : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (media != null && taken.contains(media)) {
      ctx.next();
      return;
    }
    Responses.error(ctx, 415, "Content-Type", "Content-Type: " + request.method() + " " + request.path() + " takes "
        + String.join(" or ", taken) + (media == null ? "; the request has a body but no Content-Type"
        : ", got '" + type.trim() + "'") + " (send e.g. -H 'Content-Type: " + taken.get(0) + "')");
  }

  private List<String> taken(String path) {
    for (Map.Entry<Pattern, List<String>> entry : others.entrySet()) {
      if (entry.getKey().matcher(path).matches()) {
        return entry.getValue();
      }
    }
    return List.of(JSON);
  }

  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || length != null && !length.trim().equals("0");
  }
}
