package dev.faultline.junit5;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The admin API as the test thread calls it: each call waits for its answer (bounded, so a
 * stuck Faultline fails the test instead of hanging it) and fails with what the API said when
 * the status is not the one expected. Every request carries the kit's admin token.
 */
final class AdminClient {

  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final WebClient client;
  private final int port;
  private final String authorization;

  AdminClient(Vertx vertx, int port, String token) {
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setKeepAlive(false));
    this.port = port;
    this.authorization = "Bearer " + token;
  }

  JsonObject json(HttpMethod method, String uri, Object body, int expected) {
    HttpResponse<Buffer> response = send(method, uri, body, Map.of(), expected);
    return response.body() == null || response.body().length() == 0 ? new JsonObject() : response.bodyAsJsonObject();
  }

  HttpResponse<Buffer> send(HttpMethod method, String uri, Object body, Map<String, String> headers, int expected) {
    HttpRequest<Buffer> request = client.request(method, port, "127.0.0.1", uri)
        .putHeader("Authorization", authorization);
    headers.forEach(request::putHeader);
    Future<HttpResponse<Buffer>> sent;
    if (body == null) {
      sent = request.send();
    } else if (body instanceof JsonObject object) {
      sent = request.sendJsonObject(object);
    } else if (body instanceof JsonArray array) {
      sent = request.putHeader("Content-Type", "application/json").sendBuffer(array.toBuffer());
    } else {
      sent = request.sendBuffer(body instanceof Buffer buffer ? buffer : Buffer.buffer(body.toString()));
    }
    HttpResponse<Buffer> response = await(sent, method + " " + uri);
    if (response.statusCode() != expected) {
      throw new AssertionError("Faultline answered " + method + " " + uri + " with HTTP " + response.statusCode()
          + " (expected " + expected + "): " + response.bodyAsString());
    }
    return response;
  }

  void close() {
    client.close();
  }

  /** Waits on the test thread, never on an event loop (the kit's calls run on the test's thread). */
  static <T> T await(Future<T> future, String what) {
    try {
      return future.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(what + ": no answer from Faultline within " + TIMEOUT.toSeconds() + " s", e);
    }
  }
}
