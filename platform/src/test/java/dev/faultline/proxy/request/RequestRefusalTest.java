package dev.faultline.proxy.request;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests a proxy refuses before any provider sees them: a body that is not JSON, an empty one
 * that says it is JSON, a request line or headers too long to read. Each gets OpenAI's error
 * shape (and, for the JSON cases, OpenAI's own words, whichever provider is behind), and a log row.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestRefusalTest {

  /** OpenAI's answer to a body it cannot parse, byte for byte. */
  private static final JsonObject UNPARSEABLE = new JsonObject().put("error", new JsonObject()
      .put("message", "We could not parse the JSON body of your request. (HINT: This likely means you aren't using "
          + "your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. "
          + "If you have trouble figuring out how to fix this, please contact us through our help center at "
          + "help.openai.com.)")
      .put("type", "invalid_request_error").putNull("param").putNull("code"));

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private Faultline faultline;
  private WebClient client;
  private HttpServer upstream;
  private final AtomicInteger upstreamCalls = new AtomicInteger();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    upstream = await(vertx.createHttpServer().requestHandler(request -> {
      upstreamCalls.incrementAndGet();
      request.response().putHeader("content-type", "application/json").end("{\"object\":\"list\",\"data\":[]}");
    }).listen(0, "127.0.0.1"));
    faultline = await(FaultlineHarness.start(vertx, dataDir));
    client = FaultlineHarness.client(vertx);
  }

  @AfterEach
  void stop() {
    await(faultline.stop());
    await(upstream.close());
  }

  @Test
  void invalidJsonGetsOpenAisOwnAnswerOnEveryPath() {
    JsonObject openai = proxy("openai");
    JsonObject mock = proxy("mock");

    // The proxy checks a body that says it is JSON, whatever the provider.
    HttpResponse<Buffer> viaOpenAi = post(openai, "application/json", "{\"model\": \"gpt-4o-mini\", ");
    HttpResponse<Buffer> viaMock = post(mock, "application/json", "{\"model\": \"gpt-4o-mini\", ");
    // A body that does not say so passes the proxy; the mock refuses it itself, in the same words.
    HttpResponse<Buffer> byMock = post(mock, "text/plain", "model=gpt-4o-mini");
    // A whole object with something after it is not one JSON body either.
    HttpResponse<Buffer> trailing = post(openai, "application/json", "{\"model\": \"gpt-4o-mini\"} {}");

    for (HttpResponse<Buffer> answer : java.util.List.of(viaOpenAi, viaMock, byMock, trailing)) {
      assertEquals(400, answer.statusCode(), answer.bodyAsString());
      assertEquals(UNPARSEABLE, answer.bodyAsJsonObject());
    }
    assertEquals(0, upstreamCalls.get(), "an unparseable body never reaches the upstream");
  }

  @Test
  void anEmptyBodyThatSaysItIsJsonIsRefusedWhereABodyIsExpected() {
    JsonObject openai = proxy("openai");
    Promise<JsonObject> logged = logged(openai, 400);

    HttpResponse<Buffer> empty = post(openai, "application/json", "");

    assertEquals(400, empty.statusCode(), empty.bodyAsString());
    assertEquals(UNPARSEABLE, empty.bodyAsJsonObject());
    assertEquals(0, upstreamCalls.get(), "the empty body was forwarded");
    assertEquals("invalid_request_error", await(logged.future()).getString("error_type"));

    // SDKs send their JSON content type on every request: a GET, or a POST that is an action
    // without a body, is no refusal.
    HttpResponse<Buffer> models = await(client.get(port(openai), "127.0.0.1", "/v1/models")
        .putHeader("authorization", "Bearer sk-test").putHeader("content-type", "application/json").send());
    assertEquals(200, models.statusCode(), models.bodyAsString());
    HttpResponse<Buffer> cancel = await(client.post(port(openai), "127.0.0.1", "/v1/batches/batch_1/cancel")
        .putHeader("authorization", "Bearer sk-test").putHeader("content-type", "application/json").send());
    assertEquals(200, cancel.statusCode(), cancel.bodyAsString());
    assertEquals(2, upstreamCalls.get());
  }

  @Test
  void anOverLongRequestLineGetsA414InTheProvidersShapeAndALogRow() {
    JsonObject proxy = proxy("openai");
    Promise<JsonObject> logged = logged(proxy, 414);

    String raw = await(rawExchange(port(proxy), "GET /v1/models?q=" + "a".repeat(9 * 1024) + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nAuthorization: Bearer sk-test\r\n\r\n"));

    // The codec never read the line, so it answers as to HTTP/1.0.
    assertTrue(raw.matches("(?s)HTTP/1\\.[01] 414 .*"), raw);
    JsonObject error = body(raw).getJsonObject("error");
    assertEquals("invalid_request_error", error.getString("type"), raw);
    assertEquals("request_line_too_long", error.getString("code"), raw);
    JsonObject entry = await(logged.future());
    assertEquals("request_line_too_long", entry.getString("error_type"), entry.encode());
    assertEquals("", entry.getString("path"), "the path was never read: " + entry.encode());
    assertEquals(0, upstreamCalls.get());
  }

  @Test
  void oversizedHeadersGetA431InTheProvidersShapeAndALogRow() {
    JsonObject proxy = proxy("openai");
    Promise<JsonObject> logged = logged(proxy, 431);
    StringBuilder headers = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      headers.append("X-Filler-").append(i).append(": ").append("b".repeat(1000)).append("\r\n");
    }

    String raw = await(rawExchange(port(proxy), "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n"));

    assertTrue(raw.startsWith("HTTP/1.1 431 "), raw);
    assertEquals("request_headers_too_large", body(raw).getJsonObject("error").getString("code"), raw);
    JsonObject entry = await(logged.future());
    assertEquals("request_headers_too_large", entry.getString("error_type"), entry.encode());
    assertEquals("/v1/models", entry.getString("path"), entry.encode());
    assertEquals(0, upstreamCalls.get());
  }

  private JsonObject proxy(String provider) {
    return await(FaultlineHarness.createProxy(client, faultline, new JsonObject().put("name", provider)
        .put("provider", provider).put("upstream", "http://127.0.0.1:" + upstream.actualPort())));
  }

  private static int port(JsonObject proxy) {
    return proxy.getInteger("port");
  }

  private HttpResponse<Buffer> post(JsonObject proxy, String contentType, String body) {
    return await(client.post(port(proxy), "127.0.0.1", "/v1/chat/completions")
        .putHeader("authorization", "Bearer sk-test").putHeader("content-type", contentType)
        .sendBuffer(Buffer.buffer(body)));
  }

  /** The first log entry of {@code proxy} with {@code status}. */
  private Promise<JsonObject> logged(JsonObject proxy, int status) {
    Promise<JsonObject> entry = Promise.promise();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer("faultline.log", message -> {
      if (proxy.getString("id").equals(message.body().getString("proxy_id"))
          && message.body().getInteger("status") == status) {
        entry.tryComplete(message.body());
      }
    });
    entry.future().onComplete(done -> consumer.unregister());
    return entry;
  }

  /** Sends {@code request} as raw bytes and returns everything the proxy answers until it closes. */
  private Future<String> rawExchange(int port, String request) {
    NetClient net = vertx.createNetClient();
    return net.connect(port, "127.0.0.1").compose(socket -> {
      Promise<String> answer = Promise.promise();
      Buffer received = Buffer.buffer();
      socket.handler(received::appendBuffer);
      socket.closeHandler(v -> answer.tryComplete(received.toString()));
      socket.exceptionHandler(answer::tryFail);
      socket.write(request);
      return answer.future();
    }).eventually(net::close);
  }

  /** The JSON error inside a raw answer (a small body is sent whole, in one piece). */
  private static JsonObject body(String raw) {
    int start = raw.indexOf('{');
    int end = raw.lastIndexOf('}');
    assertTrue(start > 0 && end > start, "no JSON body in: " + raw);
    JsonObject json = new JsonObject(raw.substring(start, end + 1));
    assertNotNull(json.getJsonObject("error"), raw);
    return json;
  }
}
