package dev.faultline.launcher.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A running Faultline's admin API, for the client commands: blocking calls (this is a short-lived
 * command-line process, never the server), each failure an {@link ApiException} carrying the
 * API's own message.
 */
final class AdminClient {

  static final String API_KEY_HEADER = "X-Faultline-Api-Key";

  private final URI base;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  AdminClient(String url, String token) {
    this.base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    this.token = token;
  }

  JsonArray array(String path) {
    return new JsonArray(text("GET", path, null));
  }

  JsonObject object(String method, String path, Object body) {
    String text = text(method, path, body);
    return text.isBlank() ? new JsonObject() : new JsonObject(text);
  }

  /** The answer's body as text; a JSON {@code body} is sent as {@code application/json}. */
  String text(String method, String path, Object body) {
    HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : io.vertx.core.json.Json.encode(body));
    HttpRequest.Builder request = request(path).method(method, publisher);
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return new String(readAll(send(request.build())), StandardCharsets.UTF_8);
  }

  /** A body streamed back as it comes (an export, the live log stream), for the caller to read and close. */
  InputStream stream(HttpRequest request) {
    return send(request);
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path));
    if (token != null && !token.isBlank()) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private InputStream send(HttpRequest request) {
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException e) {
      throw new ApiException("cannot reach Faultline at " + base + " (is it running? --url or FAULTLINE_URL names "
          + "another address)");
    } catch (IOException e) {
      throw new ApiException("the call to " + base + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException("interrupted");
    }
    if (response.statusCode() >= 400) {
      throw new ApiException(message(response.statusCode(),
          new String(readAll(response.body()), StandardCharsets.UTF_8)));
    }
    return response.body();
  }

  /** The API's {@code {"error":{"message":…}}}, else the status and whatever came. */
  private String message(int status, String body) {
    try {
      JsonObject error = new JsonObject(body).getJsonObject("error");
      if (error != null && error.getString("message") != null) {
        return error.getString("message") + (status == 401 ? " (give an API token with --token or FAULTLINE_TOKEN)"
            : "");
      }
    } catch (DecodeException | ClassCastException e) {
      // not the API's error shape: said as it came below
    }
    return "HTTP " + status + (body.isBlank() ? "" : ": " + body.strip());
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ApiException("the answer broke off: " + e.getMessage());
    }
  }

  static String query(Map<String, String> params) {
    String query = params.entrySet().stream().filter(e -> e.getValue() != null)
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return query.isEmpty() ? "" : "?" + query;
  }

  /** What went wrong, in words fit to print as they are. */
  static final class ApiException extends RuntimeException {
    ApiException(String message) {
      super(message);
    }
  }
}
