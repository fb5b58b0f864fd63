package dev.faultline.faults;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.faults.FaultTests.fault;
import static dev.faultline.faults.FaultTests.faults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every built-in fault in the dialect of the API called, through a real Faultline and the offline
 * mock: Anthropic Messages on {@code /v1/messages}, OpenAI Responses on {@code /v1/responses},
 * Gemini's OpenAI-compatible errors for a {@code gemini-} model; the mock's own answers first.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DialectFaultsTest {

  static final String MESSAGES = "/v1/messages";
  static final String RESPONSES = "/v1/responses";
  static final String MESSAGE = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"messages\":"
      + "[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final String STREAM_MESSAGE = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":true,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  static final String RESPONSE = "{\"model\":\"gpt-4o-mini\",\"input\":\"hi\"}";
  static final String STREAM_RESPONSE = "{\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"stream\":true}";

  @TempDir
  static Path dataDir;

  static Faultline faultline;
  static WebClient admin;
  static HttpClient http;

  @BeforeAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void start(Vertx vertx) {
    faultline = await(FaultlineHarness.start(vertx, dataDir));
    admin = FaultlineHarness.client(vertx);
    http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  @AfterAll
  static void stop() {
    await(http.close());
    await(faultline.stop());
  }

  @Test
  void theMockAnswersMessagesWholeAndStreamed() {
    int port = port("msg-plain", new JsonArray());

    Raw whole = await(raw(port, MESSAGES, MESSAGE));
    Raw again = await(raw(port, MESSAGES, MESSAGE));
    Raw stream = await(raw(port, MESSAGES, STREAM_MESSAGE));

    assertEquals(200, whole.status(), whole.body());
    JsonObject body = new JsonObject(whole.body());
    assertEquals("message", body.getString("type"));
    assertEquals(8, body.getJsonObject("usage").getInteger("output_tokens"));
    assertTrue(body.getJsonObject("usage").getInteger("input_tokens") > 0, whole.body());
    assertEquals(body.getJsonArray("content"), new JsonObject(again.body()).getJsonArray("content"), "deterministic");
    assertTrue(whole.header("request-id") != null, "Anthropic's request-id header");
    assertEquals(List.of("message_start", "content_block_start", "ping"), stream.eventNames().subList(0, 3));
    assertEquals(List.of("content_block_stop", "message_delta", "message_stop"),
        stream.eventNames().subList(stream.eventNames().size() - 3, stream.eventNames().size()));
    assertEquals(8, stream.eventNames().stream().filter("content_block_delta"::equals).count(), stream.body());
  }

  @Test
  void theMockAnswersResponsesWithNumberedEvents() {
    int port = port("resp-plain", new JsonArray());

    Raw whole = await(raw(port, RESPONSES, RESPONSE));
    Raw stream = await(raw(port, RESPONSES, STREAM_RESPONSE));

    JsonObject body = new JsonObject(whole.body());
    assertEquals("response", body.getString("object"));
    assertEquals("completed", body.getString("status"));
    assertEquals(8, body.getJsonObject("usage").getInteger("output_tokens"));
    List<String> names = stream.eventNames();
    assertEquals("response.created", names.get(0));
    assertEquals("response.completed", names.get(names.size() - 1));
    assertEquals(8, names.stream().filter("response.output_text.delta"::equals).count());
    List<JsonObject> data = stream.jsonData();
    for (int i = 0; i < data.size(); i++) {
      assertEquals(i, data.get(i).getInteger("sequence_number"), "events numbered from 0");
    }
  }

  @Test
  void http529IsAnthropicsOverloadedError() {
    int port = port("msg-529", faults(fault("http-error", 1, new JsonObject().put("status", 529))));

    Raw answer = await(raw(port, MESSAGES, MESSAGE));

    assertEquals(529, answer.status());
    JsonObject body = new JsonObject(answer.body());
    String requestId = answer.header("request-id");
    assertEquals(new JsonObject().put("type", "error")
        .put("error", new JsonObject().put("type", "overloaded_error").put("message", "Overloaded"))
        .put("request_id", requestId), body);
    assertEquals("true", answer.header("x-should-retry"));
    assertNull(answer.header("x-request-id"), "Anthropic names it request-id");
  }

  @Test
  void http429IsAnthropicsRateLimitErrorWithItsHeaders() {
    int port = port("msg-429", faults(fault("http-error", 1, new JsonObject().put("status", 429)
        .put("retry_after", 3))));

    Raw answer = await(raw(port, MESSAGES, MESSAGE));

    assertEquals(429, answer.status());
    JsonObject error = new JsonObject(answer.body()).getJsonObject("error");
    assertEquals("rate_limit_error", error.getString("type"));
    assertTrue(error.getString("message").startsWith("This request would exceed the rate limit"), error.encode());
    assertEquals("3", answer.header("retry-after"));
    assertNull(answer.header("retry-after-ms"));
    assertNull(answer.header("x-ratelimit-limit-requests"));
    assertEquals("60", answer.header("anthropic-ratelimit-requests-limit"));
    assertEquals("0", answer.header("anthropic-ratelimit-requests-remaining"));
    Instant reset = Instant.parse(answer.header("anthropic-ratelimit-requests-reset"));
    assertTrue(reset.isAfter(Instant.now()), "an RFC 3339 instant in the future: " + reset);
    for (String kind : List.of("tokens", "input-tokens", "output-tokens")) {
      for (String part : List.of("limit", "remaining", "reset")) {
        assertTrue(answer.header("anthropic-ratelimit-" + kind + "-" + part) != null, kind + "-" + part);
      }
    }
  }

  @Test
  void rateLimiterSpeaksAnthropicOnMessagesAndOpenAiOnResponses() {
    int messages = port("msg-limiter", faults(fault("rate-limit", 1, new JsonObject().put("requests_per_minute", 1))));
    int responses = port("resp-limiter", faults(fault("rate-limit", 1, new JsonObject().put("requests_per_minute", 1))));

    Raw passed = await(raw(messages, MESSAGES, MESSAGE));
    Raw refused = await(raw(messages, MESSAGES, MESSAGE));
    await(raw(responses, RESPONSES, RESPONSE));
    Raw openAi = await(raw(responses, RESPONSES, RESPONSE));

    assertEquals(200, passed.status());
    assertEquals("0", passed.header("anthropic-ratelimit-requests-remaining"));
    assertEquals(429, refused.status());
    assertEquals("rate_limit_error", new JsonObject(refused.body()).getJsonObject("error").getString("type"));
    assertTrue(refused.header("retry-after") != null);
    assertEquals(429, openAi.status());
    JsonObject error = new JsonObject(openAi.body()).getJsonObject("error");
    assertEquals("rate_limit_exceeded", error.getString("code"));
    assertTrue(openAi.header("retry-after-ms") != null && openAi.header("x-ratelimit-limit-requests") != null);
  }

  @Test
  void hangThenTimeoutIsAnthropicsTimeoutError() {
    int port = port("msg-hang", faults(fault("hang", 1, new JsonObject().put("seconds", 0.05).put("then", "timeout"))));

    Raw answer = await(raw(port, MESSAGES, MESSAGE));

    assertEquals(504, answer.status());
    assertEquals("timeout_error", new JsonObject(answer.body()).getJsonObject("error").getString("type"));
  }

  @Test
  void streamErrorIsAnthropicsErrorEvent() {
    int port = port("msg-stream-error", faults(fault("stream-error", 1, new JsonObject().put("after_events", 4)
        .put("type", "overloaded_error").put("message", "Overloaded"))));

    Raw stream = await(raw(port, MESSAGES, STREAM_MESSAGE));

    assertEquals(200, stream.status());
    assertEquals(List.of("message_start", "content_block_start", "ping", "content_block_delta", "error"),
        stream.eventNames());
    assertEquals(new JsonObject().put("type", "error").put("error", new JsonObject()
        .put("type", "overloaded_error").put("message", "Overloaded")), stream.jsonData().get(4));
  }

  @Test
  void streamErrorOfTheDefaultTypeIsAnthropicsApiError() {
    int port = port("msg-stream-default", faults(fault("stream-error", 1, new JsonObject().put("after_events", 100))));

    Raw stream = await(raw(port, MESSAGES, STREAM_MESSAGE));

    List<String> names = stream.eventNames();
    assertEquals("error", names.get(names.size() - 1), "replaces message_stop: " + names);
    assertFalse(names.contains("message_stop"));
    assertEquals("api_error", stream.jsonData().get(names.size() - 1).getJsonObject("error").getString("type"));
  }

  @Test
  void streamErrorIsResponsesFailedEventNumberedInSequence() {
    int port = port("resp-stream-error", faults(fault("stream-error", 1, new JsonObject().put("after_events", 5))));

    Raw stream = await(raw(port, RESPONSES, STREAM_RESPONSE));

    List<String> names = stream.eventNames();
    assertEquals(6, names.size(), stream.body());
    assertEquals("response.failed", names.get(5));
    JsonObject failed = stream.jsonData().get(5);
    assertEquals(5, failed.getInteger("sequence_number"));
    assertEquals("failed", failed.getJsonObject("response").getString("status"));
    assertTrue(failed.getJsonObject("response").getString("id").startsWith("resp_"));
    assertEquals(new JsonObject().put("code", "server_error")
            .put("message", "The server had an error while processing your request. Sorry about that!"),
        failed.getJsonObject("response").getJsonObject("error"));
  }

  @Test
  void streamCutAndCorruptKeepAnthropicsEventNames() {
    int cut = port("msg-cut", faults(fault("stream-cut", 1, new JsonObject().put("after_events", 2))));
    int corrupt = port("msg-corrupt", faults(fault("stream-corrupt", 1, new JsonObject().put("event", 0))));

    Raw cutStream = await(raw(cut, MESSAGES, STREAM_MESSAGE));
    Raw corruptStream = await(raw(corrupt, MESSAGES, STREAM_MESSAGE));

    assertTrue(cutStream.error() != null, "the connection is closed: " + cutStream.body());
    assertEquals(List.of("message_start", "content_block_start"), cutStream.eventNames());
    assertEquals("message_start", corruptStream.eventNames().get(0));
    assertNull(corruptStream.jsonData().get(0), "malformed JSON in the first event");
    assertEquals("message_stop", corruptStream.eventNames().get(corruptStream.eventNames().size() - 1));
  }

  @Test
  void geminiErrorsAreAnArrayWithGoogleStatuses() {
    int port = port("gemini-429", faults(fault("http-error", 1, new JsonObject().put("status", 429))));

    Raw answer = await(raw(port, "/v1/chat/completions",
        "{\"model\":\"gemini-2.0-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));

    assertEquals(429, answer.status());
    assertEquals(new JsonArray().add(new JsonObject().put("error", new JsonObject().put("code", 429)
        .put("message", "Resource has been exhausted (e.g. check quota).").put("status", "RESOURCE_EXHAUSTED"))),
        new JsonArray(answer.body()));
  }

  @Test
  void aMalformedMessagesRequestIsRefusedInAnthropicsShape() {
    int port = port("msg-bad", new JsonArray());

    Raw answer = await(raw(port, MESSAGES, "{\"model\":\"claude-sonnet-4-5\",\"messages\":[]}"));

    assertEquals(400, answer.status());
    JsonObject body = new JsonObject(answer.body());
    assertEquals("error", body.getString("type"));
    assertEquals(new JsonObject().put("type", "invalid_request_error").put("message", "max_tokens: Field required"),
        body.getJsonObject("error"));
  }

  @Test
  void theCacheReplaysMessagesAndResponsesStreamsEventExactly() {
    int port = FaultTests.mockProxy(admin, faultline, "dialect-cache", new JsonArray(),
        new JsonObject().put("cache", new JsonObject().put("enabled", true))).getInteger("port");
    String message = STREAM_MESSAGE.replace("\"stream\":true", "\"stream\":true,\"temperature\":0");
    String response = STREAM_RESPONSE.replace("\"stream\":true", "\"stream\":true,\"temperature\":0");

    for (String[] call : List.of(new String[] {MESSAGES, message}, new String[] {RESPONSES, response})) {
      Raw first = await(raw(port, call[0], call[1]));
      Raw second = await(raw(port, call[0], call[1]));

      assertEquals("MISS", first.header("X-Faultline-Cache"), call[0]);
      assertEquals("HIT", second.header("X-Faultline-Cache"), call[0]);
      assertEquals(first.body(), second.body(), "the same events, byte for byte: " + call[0]);
    }
  }

  private static int port(String name, JsonArray faults) {
    return FaultTests.mockProxy(admin, faultline, name, faults, null).getInteger("port");
  }

  /** A response read raw until it ends or its connection closes. */
  record Raw(int status, io.vertx.core.MultiMap headers, String body, Throwable error) {

    String header(String name) {
      return headers.get(name);
    }

    List<String> eventNames() {
      List<String> names = new ArrayList<>();
      for (String block : body.split("\n\n")) {
        for (String line : block.split("\n")) {
          if (line.startsWith("event: ")) {
            names.add(line.substring(7));
          }
        }
      }
      return names;
    }

    /** Each event's data as JSON, null where it is not JSON. */
    List<JsonObject> jsonData() {
      List<JsonObject> data = new ArrayList<>();
      for (String block : body.split("\n\n")) {
        for (String line : block.split("\n")) {
          if (line.startsWith("data: ")) {
            try {
              data.add(new JsonObject(line.substring(6)));
            } catch (RuntimeException e) {
              data.add(null);
            }
          }
        }
      }
      return data;
    }
  }

  static Future<Raw> raw(int port, String path, String body) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI(path).addHeader("x-api-key", "sk-ant-test").addHeader("anthropic-version", "2023-06-01")
        .addHeader("Authorization", "Bearer sk-test").addHeader("content-type", "application/json");
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
