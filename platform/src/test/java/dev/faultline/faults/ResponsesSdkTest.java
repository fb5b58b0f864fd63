package dev.faultline.faults;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.faults.FaultTests.fault;
import static dev.faultline.faults.FaultTests.faults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.RateLimitException;
import com.openai.models.ChatModel;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseError;
import com.openai.models.responses.ResponseFailedEvent;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI Java SDK's Responses API (left at its defaults) against Faultline's mock on
 * {@code /v1/responses}: whole and streamed answers parse; a 429 and a 500 raise the exception
 * classes Chat Completions raises, after the same three attempts honouring {@code retry-after};
 * and a mid-stream failure arrives as the SDK's own {@code response.failed} event, whose response
 * (status {@code failed}, its error's code and message) the SDK reads. Attempts are counted in
 * Faultline's request log.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ResponsesSdkTest {

  private static final int RETRY_AFTER_SECONDS = 2;
  private static final AtomicInteger PROXIES = new AtomicInteger();

  @TempDir
  static Path dataDir;

  static Faultline faultline;
  static WebClient admin;
  static LoggedAttempts attempts;

  @BeforeAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void start(Vertx vertx) {
    faultline = await(FaultlineHarness.start(vertx, dataDir));
    admin = FaultlineHarness.client(vertx);
    attempts = LoggedAttempts.listen(vertx);
  }

  @AfterAll
  static void stop() {
    attempts.close();
    await(faultline.stop());
  }

  @Test
  void aResponseAndAStreamSucceed() {
    String proxyId = proxy(new JsonArray());
    OpenAIClient sdk = sdk(proxyId);
    try {
      Response response = sdk.responses().create(params());
      assertEquals(ResponseStatus.COMPLETED, response.status().orElseThrow());
      String text = response.output().get(0).asMessage().content().get(0).asOutputText().text();
      assertFalse(text.isBlank(), response.toString());
      assertTrue(response.usage().orElseThrow().outputTokens() > 0);

      StringBuilder streamed = new StringBuilder();
      List<ResponseStreamEvent> events = new ArrayList<>();
      try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(params())) {
        stream.stream().forEach(event -> {
          events.add(event);
          event.outputTextDelta().ifPresent(delta -> streamed.append(delta.delta()));
        });
      }
      assertTrue(events.get(0).isCreated(), events.get(0).toString());
      ResponseStreamEvent last = events.get(events.size() - 1);
      assertTrue(last.isCompleted(), last.toString());
      assertEquals(streamed.toString(),
          last.asCompleted().response().output().get(0).asMessage().content().get(0).asOutputText().text());
    } finally {
      sdk.close();
    }
    attempts.of(proxyId, 2);
  }

  @Test
  void a429IsRateLimitExceptionAfterTwoRetriesHonouringRetryAfter() {
    String proxyId = proxy(faults(fault("http-error", 1, new JsonObject().put("status", 429)
        .put("retry_after", RETRY_AFTER_SECONDS))));
    OpenAIClient sdk = sdk(proxyId);
    try {
      RateLimitException error = assertThrows(RateLimitException.class, () -> sdk.responses().create(params()));
      assertEquals(429, error.statusCode());
      assertEquals("requests", error.type().orElse(null));
      assertEquals("rate_limit_exceeded", error.code().orElse(null));
    } finally {
      sdk.close();
    }
    LoggedAttempts.assertWaited(attempts.of(proxyId, 3), RETRY_AFTER_SECONDS);
  }

  @Test
  void a500IsInternalServerExceptionAfterTwoRetriesHonouringRetryAfter() {
    String proxyId = proxy(faults(fault("http-error", 1, new JsonObject().put("status", 500)
        .put("retry_after", RETRY_AFTER_SECONDS))));
    OpenAIClient sdk = sdk(proxyId);
    try {
      InternalServerException error = assertThrows(InternalServerException.class, () -> sdk.responses().create(params()));
      assertEquals(500, error.statusCode());
      assertEquals("server_error", error.type().orElse(null));
    } finally {
      sdk.close();
    }
    List<JsonObject> tried = attempts.of(proxyId, 3);
    assertTrue(tried.stream().allMatch(a -> a.getInteger("status") == 500), tried.toString());
    LoggedAttempts.assertWaited(tried, RETRY_AFTER_SECONDS);
  }

  @Test
  void aMidStreamFailureIsTheSdksResponseFailedEvent() {
    String proxyId = proxy(faults(fault("stream-error", 1, new JsonObject().put("after_events", 5))));
    OpenAIClient sdk = sdk(proxyId);
    List<ResponseStreamEvent> events = new ArrayList<>();
    try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(params())) {
      stream.stream().forEach(events::add);
    } finally {
      sdk.close();
    }
    assertEquals(6, events.size(), events.toString());
    ResponseStreamEvent last = events.get(5);
    assertTrue(last.isFailed(), last.toString());
    ResponseFailedEvent failed = last.asFailed();
    assertEquals(5, failed.sequenceNumber(), "numbered after the five events sent");
    Response response = failed.response().validate();
    assertEquals(ResponseStatus.FAILED, response.status().orElseThrow());
    assertEquals(events.get(0).asCreated().response().id(), response.id(), "the same response that was created");
    ResponseError error = response.error().orElseThrow();
    assertEquals(ResponseError.Code.SERVER_ERROR, error.code());
    assertFalse(error.message().isBlank());
    assertTrue(events.stream().noneMatch(ResponseStreamEvent::isCompleted));
    attempts.of(proxyId, 1);
  }

  private static ResponseCreateParams params() {
    return ResponseCreateParams.builder().model(ChatModel.GPT_4O_MINI).input("hi").build();
  }

  private static String proxy(JsonArray faults) {
    return FaultTests.mockProxy(admin, faultline, "responses-sdk-" + PROXIES.incrementAndGet(), faults, null)
        .getString("id");
  }

  private static OpenAIClient sdk(String proxyId) {
    int port = await(admin.get(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + proxyId).send())
        .bodyAsJsonObject().getInteger("port");
    return OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1").apiKey("sk-test")
        .timeout(Duration.ofSeconds(15)).build();
  }
}
