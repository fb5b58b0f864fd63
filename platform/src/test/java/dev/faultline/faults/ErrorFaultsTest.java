package dev.faultline.faults;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.faults.FaultTests.CHAT;
import static dev.faultline.faults.FaultTests.FAULT_HEADER;
import static dev.faultline.faults.FaultTests.chat;
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
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Injected errors as a client sees them, compared field by field with OpenAI's documented error
 * format: status, {@code {"error":{"message","type","param","code"}}} with exactly those four
 * keys, and the headers ({@code retry-after}, {@code x-ratelimit-*}, {@code x-request-id}).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ErrorFaultsTest {

  private static final String REQUEST_ID = "req_[0-9a-f]{32}";
  private static final Set<String> ERROR_KEYS = Set.of("message", "type", "param", "code");

  @TempDir
  static Path dataDir;

  static Vertx vertx;
  static Faultline faultline;
  static WebClient client;

  @BeforeAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void start(Vertx vertx) {
    ErrorFaultsTest.vertx = vertx;
    faultline = await(FaultlineHarness.start(vertx, dataDir));
    client = FaultlineHarness.client(vertx);
  }

  @AfterAll
  static void stop() {
    await(faultline.stop());
  }

  @Test
  void rateLimitErrorIsOpenAisWithItsHeaders() {
    int port = proxy("errors-429", faults(fault("http-error", 1, new JsonObject().put("status", 429))));

    HttpResponse<Buffer> answer = chat(client, port, CHAT);

    assertEquals(429, answer.statusCode());
    JsonObject error = errorOf(answer);
    assertEquals("Rate limit reached for gpt-4o-mini in organization org-faultline on requests per min (RPM): "
        + "Limit 60, Used 60, Requested 1. Please try again in 1s. Visit https://platform.openai.com/account/rate-limits "
        + "to learn more.", error.getString("message"));
    assertEquals("requests", error.getString("type"));
    assertNull(error.getValue("param"));
    assertEquals("rate_limit_exceeded", error.getString("code"));
    assertEquals("1", answer.getHeader("retry-after"));
    assertEquals("60", answer.getHeader("x-ratelimit-limit-requests"));
    assertEquals("0", answer.getHeader("x-ratelimit-remaining-requests"));
    assertEquals("1s", answer.getHeader("x-ratelimit-reset-requests"));
    assertTrue(answer.getHeader("x-request-id").matches(REQUEST_ID), answer.getHeader("x-request-id"));
    assertEquals("application/json", answer.getHeader("content-type"));
    assertEquals("http-error", answer.getHeader(FAULT_HEADER));
  }

  @Test
  void eachStatusAnswersWithOpenAisTypeCodeParamAndWording() {
    int port = proxy("errors-each", new JsonArray());
    assertError(port, "http-error;status=500", 500, "server_error", null, null,
        "The server had an error while processing your request. Sorry about that!");
    assertError(port, "http-error;status=503", 503, "server_error", null, null,
        "The server is overloaded or not ready yet.");
    assertError(port, "http-error;status=400", 400, "invalid_request_error", "context_length_exceeded", "messages",
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 130217 tokens. "
            + "Please reduce the length of the messages.");
    assertError(port, "http-error;status=401", 401, "invalid_request_error", "invalid_api_key", null,
        "Incorrect API key provided: sk-proj-****************************fLtE. You can find your API key at "
            + "https://platform.openai.com/account/api-keys.");
    assertError(port, "http-error;status=529", 529, "overloaded_error", null, null, "Overloaded");
    assertError(port, "http-error;status=429;code=insufficient_quota", 429, "insufficient_quota", "insufficient_quota",
        null, "You exceeded your current quota, please check your plan and billing details. For more information on "
            + "this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.");
    assertError(port, "http-error;status=418;message=short and stout", 418, "invalid_request_error", null, null,
        "short and stout");
  }

  @Test
  void faultedExchangeIsLoggedWithItsFaultAndErrorCode() {
    int port = proxy("errors-logged", faults(fault("http-error", 1, new JsonObject().put("status", 503))));
    Promise<JsonObject> logged = Promise.promise();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer("faultline.log", message -> {
      if (message.body().getString("path", "").equals("/v1/chat/completions")
          && message.body().getInteger("status") == 503) {
        logged.tryComplete(message.body());
      }
    });
    await(consumer.completion());
    try {
      HttpResponse<Buffer> answer = chat(client, port, CHAT);
      assertEquals(503, answer.statusCode());
      JsonObject entry = await(logged.future());
      assertEquals("http-error", entry.getString("fault"));
      assertEquals(answer.getHeader("x-request-id"), entry.getString("request_id"));
      assertEquals("server_error", entry.getString("error_type"));
    } finally {
      await(consumer.unregister());
    }
  }

  @Test
  void rateLimiterCountsDownThenRefusesWithOpenAisHeaders() {
    int port = proxy("errors-limiter", faults(fault("rate-limit", 1, new JsonObject()
        .put("requests_per_minute", 3).put("tokens_per_minute", 100_000))));

    for (int remaining = 2; remaining >= 0; remaining--) {
      HttpResponse<Buffer> ok = chat(client, port, CHAT);
      assertEquals(200, ok.statusCode(), ok.bodyAsString());
      assertEquals("3", ok.getHeader("x-ratelimit-limit-requests"));
      assertEquals(String.valueOf(remaining), ok.getHeader("x-ratelimit-remaining-requests"));
      assertEquals("100000", ok.getHeader("x-ratelimit-limit-tokens"));
      assertTrue(Long.parseLong(ok.getHeader("x-ratelimit-remaining-tokens")) < 100_000);
      assertTrue(ok.getHeader("x-ratelimit-reset-requests").matches("\\d+(\\.\\d+)?m?s|\\d+m\\d+(\\.\\d+)?s"),
          ok.getHeader("x-ratelimit-reset-requests"));
      assertNull(ok.getHeader(FAULT_HEADER), "a request the limiter lets through is not faulted");
    }
    HttpResponse<Buffer> refused = chat(client, port, CHAT);
    assertEquals(429, refused.statusCode());
    JsonObject error = errorOf(refused);
    assertEquals("requests", error.getString("type"));
    assertEquals("rate_limit_exceeded", error.getString("code"));
    assertTrue(error.getString("message").startsWith("Rate limit reached for gpt-4o-mini in organization "
        + "org-faultline on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in "),
        error.getString("message"));
    int retryAfter = Integer.parseInt(refused.getHeader("retry-after"));
    assertTrue(retryAfter >= 1 && retryAfter <= 20, "one request per 20 s refills; retry-after " + retryAfter);
    assertEquals("0", refused.getHeader("x-ratelimit-remaining-requests"));
    assertEquals("rate-limit", refused.getHeader(FAULT_HEADER));
  }

  @Test
  void connectionResetDropsTheConnectionWithoutAResponse() {
    int port = proxy("errors-reset", faults(fault("connection-reset", 1, new JsonObject())));
    HttpClient http = vertx.createHttpClient();
    try {
      Future<FaultTests.Raw> answer = FaultTests.raw(http, port, CHAT);
      Throwable error = assertFailed(answer);
      assertTrue(String.valueOf(error.getMessage()).toLowerCase().contains("closed"), error.toString());
    } finally {
      await(http.close());
    }
  }

  @Test
  void headerOverrideForcesAFaultForOneRequestAndCanBeDisabled() {
    int open = proxy("override-on", new JsonArray());
    assertEquals(200, chat(client, open, CHAT).statusCode());
    HttpResponse<Buffer> forced = chat(client, open, CHAT, FAULT_HEADER, "http-error;status=502");
    assertEquals(502, forced.statusCode());
    assertEquals("http-error", forced.getHeader(FAULT_HEADER));
    assertEquals(200, chat(client, open, CHAT).statusCode(), "the override held for that request only");

    HttpResponse<Buffer> bad = chat(client, open, CHAT, FAULT_HEADER, "http-error;status=600");
    assertEquals(400, bad.statusCode());
    JsonObject error = errorOf(bad);
    assertEquals("invalid_fault_override", error.getString("code"));
    assertTrue(error.getString("message").contains("status") && error.getString("message").contains("599"),
        error.getString("message"));
    assertEquals(400, chat(client, open, CHAT, FAULT_HEADER, "no-such-fault").statusCode());

    int closed = proxy("override-off", faults(fault("http-error", 1, new JsonObject().put("status", 500))),
        new JsonObject().put("fault_options", new JsonObject().put("header_override", false)));
    assertEquals(500, chat(client, closed, CHAT, FAULT_HEADER, "none").statusCode(),
        "with header_override off, the header changes nothing");
    int configured = proxy("override-none", faults(fault("http-error", 1, new JsonObject().put("status", 500))));
    assertEquals(200, chat(client, configured, CHAT, FAULT_HEADER, "none").statusCode(),
        "'none' turns the proxy's faults off for that request");
  }

  private void assertError(int port, String override, int status, String type, String code, String param,
                           String message) {
    HttpResponse<Buffer> answer = chat(client, port, CHAT, FAULT_HEADER, override);
    assertEquals(status, answer.statusCode(), override + ": " + answer.bodyAsString());
    JsonObject error = errorOf(answer);
    assertEquals(message, error.getString("message"), override);
    assertEquals(type, error.getString("type"), override);
    assertEquals(param, error.getValue("param"), override);
    assertEquals(code, error.getValue("code"), override);
    assertTrue(answer.getHeader("x-request-id").matches(REQUEST_ID), override);
    assertFalse(status != 429 && answer.getHeader("retry-after") != null, override + " has no retry-after");
  }

  /** The error object, after checking the body is exactly {"error":{message,type,param,code}}. */
  private static JsonObject errorOf(HttpResponse<Buffer> answer) {
    JsonObject body = answer.bodyAsJsonObject();
    assertEquals(Set.of("error"), body.fieldNames(), answer.bodyAsString());
    JsonObject error = body.getJsonObject("error");
    assertEquals(ERROR_KEYS, error.fieldNames(), "OpenAI sends exactly these keys, null ones included: "
        + answer.bodyAsString());
    return error;
  }

  private static Throwable assertFailed(Future<?> future) {
    try {
      Object value = await(future);
      throw new AssertionError("expected the connection to drop, got " + value);
    } catch (RuntimeException e) {
      // The caller asserts what the failure says; this only unwraps await's wrapper.
      return e.getCause() != null ? e.getCause() : e;
    }
  }

  private static int proxy(String name, JsonArray faults) {
    return proxy(name, faults, null);
  }

  private static int proxy(String name, JsonArray faults, JsonObject more) {
    return FaultTests.mockProxy(client, faultline, name, faults, more).getInteger("port");
  }
}
