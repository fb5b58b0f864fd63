package dev.faultline.anthropic;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.anthropic.AnthropicUpstream.message;
import static dev.faultline.anthropic.AnthropicUpstream.usage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.logs.LogTesting;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mockserver.configuration.Configuration;
import org.mockserver.integration.ClientAndServer;
import org.slf4j.event.Level;

/**
 * The {@code anthropic} provider's native path: Anthropic's own requests relayed untouched (the
 * key, version and beta headers, the body byte for byte), answers and streams relayed as they
 * arrive, usage read from Anthropic's fields, and the key kept out of everything Faultline writes.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AnthropicNativeTest {

  private static final String KEY = "sk-ant-api03-NativeSecretKey_9876543210abcdef";
  /** Odd spacing and key order no serializer would produce: the upstream must get these bytes. */
  private static final String BODY = "{ \"max_tokens\":1024 ,\"model\" : \"claude-sonnet-4-20250514\",\"messages\":"
      + "[{\"role\":\"user\",\"content\":\"Hello, héllo 😀\"}] , \"metadata\":{\"user_id\":\"u-1\"}}\n";

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private Faultline faultline;
  private WebClient client;
  private ClientAndServer upstream;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    upstream = ClientAndServer.startClientAndServer(
        Configuration.configuration().logLevel(Level.WARN).disableSystemOut(true), 0);
    faultline = LogTesting.start(vertx, dataDir);
    client = FaultlineHarness.client(vertx);
  }

  @AfterEach
  void stop() {
    try {
      if (faultline != null) {
        await(faultline.stop());
      }
    } finally {
      upstream.stop();
    }
  }

  @Test
  void messagesHeadersAndBodyGoToAnthropicUntouchedAndTheAnswerComesBackAsIs() {
    String answerBody = message("Hi!", "end_turn", usage(10, 3, 4, 2));
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "application/json")
        .withHeader("request-id", "req_native").withHeader("anthropic-ratelimit-requests-remaining", "49")
        .withBody(answerBody));
    JsonObject proxy = proxy(upstreamUrl());

    HttpResponse<Buffer> answer = await(client.post(proxy.getInteger("port"), "127.0.0.1", "/v1/messages")
        .putHeader("x-api-key", KEY).putHeader("anthropic-version", "2023-06-01")
        .putHeader("anthropic-beta", "prompt-caching-2024-07-31").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(BODY)));

    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    assertEquals(answerBody, answer.bodyAsString());
    assertEquals("req_native", answer.getHeader("request-id"));
    assertEquals("49", answer.getHeader("anthropic-ratelimit-requests-remaining"));
    org.mockserver.model.HttpRequest received = upstream.retrieveRecordedRequests(request())[0];
    assertEquals("/v1/messages", received.getPath().getValue());
    assertEquals(List.of(KEY), received.getHeader("x-api-key"));
    assertEquals(List.of("2023-06-01"), received.getHeader("anthropic-version"));
    assertEquals(List.of("prompt-caching-2024-07-31"), received.getHeader("anthropic-beta"));
    assertArrayEquals(BODY.getBytes(StandardCharsets.UTF_8), received.getBodyAsRawBytes());

    JsonObject logged = LogTesting.awaitEntries(client, faultline, "proxy=" + proxy.getString("id"), 1).get(0);
    // input 10 + cache read 4 + cache creation 2; the cache reads are the cached part.
    assertEquals(16, logged.getInteger("prompt_tokens"), logged.encode());
    assertEquals(3, logged.getInteger("completion_tokens"), logged.encode());
    assertEquals(4, logged.getInteger("cached_tokens"), logged.encode());
    assertEquals("claude-sonnet-4-20250514", logged.getString("model"));
    assertTrue(logged.getDouble("cost_usd") > 0, "claude-sonnet-4 is in the price table: " + logged.encode());
  }

  @Test
  void faultsOnTheNativePathSpeakAnthropicsDialectAndOnChatCompletionsOpenAis() {
    JsonObject overloaded = new JsonObject().put("strategy", "http-error").put("rate", 1)
        .put("params", new JsonObject().put("status", 529));
    JsonObject proxy = proxy(upstreamUrl(), new JsonObject().put("faults",
        new io.vertx.core.json.JsonArray().add(overloaded)));

    HttpResponse<Buffer> nativeAnswer = await(client.post(proxy.getInteger("port"), "127.0.0.1", "/v1/messages")
        .putHeader("x-api-key", KEY).putHeader("anthropic-version", "2023-06-01")
        .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(BODY)));
    assertEquals(529, nativeAnswer.statusCode());
    JsonObject error = nativeAnswer.bodyAsJsonObject();
    assertEquals("error", error.getString("type"), error.encode());
    assertEquals("overloaded_error", error.getJsonObject("error").getString("type"), error.encode());
    assertEquals("true", nativeAnswer.getHeader("x-should-retry"));

    HttpResponse<Buffer> chatAnswer = await(client.post(proxy.getInteger("port"), "127.0.0.1", "/v1/chat/completions")
        .putHeader("Authorization", "Bearer " + KEY).putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer("{\"model\":\"claude-sonnet-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
    assertEquals(529, chatAnswer.statusCode());
    assertTrue(chatAnswer.bodyAsJsonObject().getJsonObject("error").containsKey("message"),
        "an OpenAI SDK's chat completion gets OpenAI's error shape: " + chatAnswer.bodyAsString());
    assertEquals(0, upstream.retrieveRecordedRequests(request()).length, "a faulted request never reaches Anthropic");
  }

  @Test
  void countTokensAndModelsArePassedThroughToo() {
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "application/json")
        .withBody("{\"input_tokens\":14}"));
    int port = proxy(upstreamUrl()).getInteger("port");

    HttpResponse<Buffer> counted = await(client.post(port, "127.0.0.1", "/v1/messages/count_tokens")
        .putHeader("x-api-key", KEY).putHeader("anthropic-version", "2023-06-01")
        .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(BODY)));
    HttpResponse<Buffer> models = await(client.get(port, "127.0.0.1", "/v1/models?limit=5")
        .putHeader("x-api-key", KEY).putHeader("anthropic-version", "2023-06-01").send());

    assertEquals(200, counted.statusCode(), counted.bodyAsString());
    assertEquals(200, models.statusCode(), models.bodyAsString());
    org.mockserver.model.HttpRequest[] received = upstream.retrieveRecordedRequests(request());
    assertEquals("POST /v1/messages/count_tokens", received[0].getMethod().getValue() + " "
        + received[0].getPath().getValue());
    assertEquals("GET /v1/models", received[1].getMethod().getValue() + " " + received[1].getPath().getValue());
    assertEquals("5", received[1].getFirstQueryStringParameter("limit"));
  }

  @Test
  void aStreamIsRelayedEventByEventAndItsUsageComesFromStartAndDelta() {
    String stream = AnthropicUpstream.textStream("Hello", " world");
    int split = stream.indexOf("event: content_block_delta");
    Promise<Void> firstPartSeen = Promise.promise();
    Promise<Void> firstPartSent = Promise.promise();
    HttpServer slowUpstream = await(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(b -> {
      request.response().setChunked(true).putHeader("content-type", "text/event-stream");
      request.response().write(stream.substring(0, split)).onComplete(v -> firstPartSent.tryComplete());
      // The rest only once the caller has the first part: a buffering proxy would never let that happen.
      firstPartSeen.future().onComplete(v -> request.response().end(stream.substring(split)));
    })).listen(0, "127.0.0.1"));
    JsonObject proxy = proxy("http://127.0.0.1:" + slowUpstream.actualPort());

    HttpClient raw = vertx.createHttpClient();
    Buffer received = Buffer.buffer();
    Future<Void> done = raw.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
            .setPort(proxy.getInteger("port")).setURI("/v1/messages").addHeader("x-api-key", KEY)
            .addHeader("anthropic-version", "2023-06-01").addHeader("content-type", "application/json"))
        // The handlers set in the callback that sent the request: see LogExportTest.
        .compose(request -> request.send(BODY.replace("{ ", "{\"stream\":true, "))
            .compose((HttpClientResponse response) -> {
              Promise<Void> ended = Promise.promise();
              response.handler(chunk -> {
                received.appendBuffer(chunk);
                if (received.toString().contains("event: ping")) {
                  firstPartSeen.tryComplete();
                }
              });
              response.endHandler(v -> ended.complete());
              response.exceptionHandler(ended::tryFail);
              return ended.future();
            }));
    try {
      done.await(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the stream did not end within 20 s; the upstream had "
          + (firstPartSent.future().isComplete() ? "" : "not ") + "written its first part, and the caller had received: '"
          + received + "'", e);
    }

    assertEquals(stream, received.toString(), "the stream arrives as Anthropic sent it");
    JsonObject logged = LogTesting.awaitEntries(client, faultline, "proxy=" + proxy.getString("id"), 1).get(0);
    assertEquals(25, logged.getInteger("prompt_tokens"), "from message_start: " + logged.encode());
    assertEquals(15, logged.getInteger("completion_tokens"), "from message_delta: " + logged.encode());
    assertEquals(40, logged.getInteger("total_tokens"), logged.encode());
    assertEquals(false, logged.getBoolean("usage_estimated"), logged.encode());
    await(raw.close());
    await(slowUpstream.close());
  }

  @Test
  void theKeyReachesNeitherTheDatabaseNorTheLog() throws IOException {
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "application/json")
        .withBody(message("Hi!", "end_turn", usage(10, 3, 0, 0))));
    JsonObject proxy = proxy(upstreamUrl(), new JsonObject().put("logging", new JsonObject().put("bodies", true))
        .put("cache", new JsonObject().put("enabled", true)));
    for (int i = 0; i < 2; i++) {
      assertEquals(200, await(client.post(proxy.getInteger("port"), "127.0.0.1", "/v1/messages")
          .putHeader("x-api-key", KEY).putHeader("anthropic-version", "2023-06-01")
          .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(BODY))).statusCode());
    }
    List<JsonObject> entries = LogTesting.awaitEntries(client, faultline, "proxy=" + proxy.getString("id"), 2);
    entries.forEach(entry -> assertFalse(entry.encode().contains(KEY), "the key is in a log entry: " + entry));
    await(faultline.stop());
    faultline = null;

    byte[] key = KEY.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertFalse(contains(Files.readAllBytes(file), key), "the API key is in " + file);
      }
    }
  }

  private String upstreamUrl() {
    return "http://127.0.0.1:" + upstream.getLocalPort();
  }

  private JsonObject proxy(String upstreamUrl) {
    return proxy(upstreamUrl, new JsonObject());
  }

  private JsonObject proxy(String upstreamUrl, JsonObject extra) {
    return LogTesting.proxy(client, faultline, new JsonObject().put("name", "native-" + System.nanoTime())
        .put("provider", "anthropic").put("upstream", upstreamUrl).mergeIn(extra));
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
