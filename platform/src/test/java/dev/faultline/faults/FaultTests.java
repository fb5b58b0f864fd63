package dev.faultline.faults;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What the fault tests share: proxies on the offline mock provider, chat calls, streams read raw. */
final class FaultTests {

  static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final String STREAM_CHAT = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":"
      + "[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final String FAULT_HEADER = "X-Faultline-Fault";

  private FaultTests() {
  }

  /** A running mock proxy (8-token answers) with {@code faults}; returns its JSON. */
  static JsonObject mockProxy(WebClient admin, Faultline faultline, String name, JsonArray faults, JsonObject more) {
    JsonObject proxy = new JsonObject().put("name", name).put("provider", "mock")
        .put("options", new JsonObject().put("completion_tokens", 8)).put("faults", faults);
    return await(FaultlineHarness.createProxy(admin, faultline, more == null ? proxy : proxy.mergeIn(more)));
  }

  static JsonArray faults(JsonObject... entries) {
    return new JsonArray(List.of((Object[]) entries));
  }

  static JsonObject fault(String strategy, double rate, JsonObject params) {
    return new JsonObject().put("strategy", strategy).put("rate", rate).put("params", params);
  }

  static HttpResponse<Buffer> chat(WebClient client, int port, String body, String... headers) {
    var request = client.post(port, "127.0.0.1", "/v1/chat/completions")
        .putHeader("Authorization", "Bearer sk-test").putHeader("content-type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      request.putHeader(headers[i], headers[i + 1]);
    }
    return await(request.sendBuffer(Buffer.buffer(body)));
  }

  static JsonArray putFaults(WebClient admin, Faultline faultline, String proxyId, Object body, int status) {
    HttpResponse<Buffer> response = await(admin.put(faultline.adminPort(), "127.0.0.1",
        "/api/proxies/" + proxyId + "/faults").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(body.toString())));
    expect(response, status);
    return status == 200 ? response.bodyAsJsonArray() : null;
  }

  static JsonArray getFaults(WebClient admin, Faultline faultline, String proxyId) {
    return expect(await(admin.get(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + proxyId + "/faults").send()),
        200).bodyAsJsonArray();
  }

  /** A response read as raw bytes until the server ends it or closes the connection. */
  record Raw(int status, MultiMap headers, String body, Throwable error) {

    boolean closedEarly() {
      return error != null;
    }

    /** The {@code data:} payloads of the server-sent events received. */
    List<String> events() {
      List<String> events = new ArrayList<>();
      for (String block : body.split("\n\n")) {
        if (block.startsWith("data: ")) {
          events.add(block.substring(6));
        }
      }
      return events;
    }
  }

  /** Sends {@code body} and keeps whatever arrives, even from a response that breaks mid-way. */
  static Future<Raw> raw(HttpClient http, int port, String body, String... headers) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI("/v1/chat/completions").addHeader("Authorization", "Bearer sk-test")
        .addHeader("content-type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      options.addHeader(headers[i], headers[i + 1]);
    }
    return http.request(options).compose(request -> request.send(body).compose(response -> {
      Promise<Raw> result = Promise.promise();
      Buffer received = Buffer.buffer();
      response.handler(received::appendBuffer);
      response.endHandler(v -> result.tryComplete(new Raw(response.statusCode(), response.headers(),
          received.toString(StandardCharsets.UTF_8), null)));
      response.exceptionHandler(e -> result.tryComplete(new Raw(response.statusCode(), response.headers(),
          received.toString(StandardCharsets.UTF_8), e)));
      return result.future();
    }));
  }
}
