package dev.faultline.faults;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.faults.FaultTests.fault;
import static dev.faultline.faults.FaultTests.faults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.SseException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
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
 * Anthropic's official Java SDK (left at its defaults: two retries) against Faultline's mock on
 * {@code /v1/messages}: the Messages dialect is right when the SDK raises the exception class it
 * raises against Anthropic, with the same status, error type, message and request id, after the
 * same number of attempts, waiting what {@code retry-after} asks; and a mid-stream
 * {@code event: error} surfaces where the SDK surfaces Anthropic's own. Attempts are counted in
 * Faultline's request log.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AnthropicSdkTest {

  /** Longer than the SDK's own first backoffs (0.5 s, 1 s), so only honouring retry-after explains the wait. */
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
  void aMessageAndAStreamSucceed() {
    String proxyId = proxy(new JsonArray());
    try (Sdk sdk = sdk(proxyId)) {
      Message message = sdk.client.messages().create(message());
      assertTrue(message.id().startsWith("msg_"), message.id());
      assertFalse(message.content().get(0).text().orElseThrow().text().isBlank(), message.toString());
      assertTrue(message.usage().outputTokens() > 0, message.usage().toString());

      MessageAccumulator accumulator = MessageAccumulator.create();
      List<String> types = new ArrayList<>();
      try (StreamResponse<RawMessageStreamEvent> stream = sdk.client.messages().createStreaming(message())) {
        stream.stream().forEach(event -> {
          accumulator.accumulate(event);
          types.add(type(event));
        });
      }
      Message streamed = accumulator.message();
      assertEquals("message_stop", types.get(types.size() - 1), types.toString());
      assertFalse(streamed.content().get(0).text().orElseThrow().text().isBlank(), streamed.toString());
      assertTrue(streamed.usage().outputTokens() > 0, streamed.usage().toString());
    }
    attempts.of(proxyId, 2);
  }

  @Test
  void overloadedIsTheSdksOverloadedExceptionAfterTwoRetriesHonouringRetryAfter() {
    String proxyId = proxy(faults(fault("http-error", 1, new JsonObject().put("status", 529)
        .put("retry_after", RETRY_AFTER_SECONDS))));
    try (Sdk sdk = sdk(proxyId)) {
      OverloadedException error = assertThrows(OverloadedException.class, () -> sdk.client.messages().create(message()));

      assertEquals(529, error.statusCode());
      assertEquals(ErrorType.OVERLOADED_ERROR, error.errorType().orElseThrow());
      assertEquals("Overloaded", error.apiMessage().orElseThrow());
      assertEquals(error.headers().values("request-id").get(0), error.requestId().orElseThrow());
      assertEquals(List.of("true"), error.headers().values("x-should-retry"));
    }
    List<JsonObject> tried = attempts.of(proxyId, 3);
    assertTrue(tried.stream().allMatch(a -> a.getInteger("status") == 529), tried.toString());
    LoggedAttempts.assertWaited(tried, RETRY_AFTER_SECONDS);
  }

  @Test
  void rateLimitedIsRateLimitExceptionAfterTwoRetriesHonouringRetryAfter() {
    String proxyId = proxy(faults(fault("http-error", 1, new JsonObject().put("status", 429)
        .put("retry_after", RETRY_AFTER_SECONDS))));
    try (Sdk sdk = sdk(proxyId)) {
      RateLimitException error = assertThrows(RateLimitException.class, () -> sdk.client.messages().create(message()));

      assertEquals(429, error.statusCode());
      assertEquals(ErrorType.RATE_LIMIT_ERROR, error.errorType().orElseThrow());
      assertTrue(error.apiMessage().orElseThrow().startsWith("This request would exceed the rate limit"),
          error.apiMessage().toString());
      assertEquals(List.of(String.valueOf(RETRY_AFTER_SECONDS)), error.headers().values("retry-after"));
      assertEquals(List.of("0"), error.headers().values("anthropic-ratelimit-requests-remaining"));
    }
    List<JsonObject> tried = attempts.of(proxyId, 3);
    LoggedAttempts.assertWaited(tried, RETRY_AFTER_SECONDS);
  }

  @Test
  void theSdkRecoversWhenTheOverloadEndsWithinItsRetries() {
    String proxyId = proxy(faults(fault("http-error", 1, new JsonObject().put("status", 529).put("retry_after", 1))
        .put("schedule", new JsonObject().put("next_requests", 2))));
    try (Sdk sdk = sdk(proxyId)) {
      assertTrue(sdk.client.messages().create(message()).id().startsWith("msg_"));
    }
    assertEquals(List.of(529, 529, 200), attempts.of(proxyId, 3).stream().map(a -> a.getInteger("status")).toList());
  }

  @Test
  void aBadRequestIsNotRetried() {
    // No x-should-retry on a 400: the SDK gives up at once, as against Anthropic.
    String proxyId = proxy(faults(fault("http-error", 1, new JsonObject().put("status", 400))));
    try (Sdk sdk = sdk(proxyId)) {
      BadRequestException error = assertThrows(BadRequestException.class, () -> sdk.client.messages().create(message()));
      assertEquals(ErrorType.INVALID_REQUEST_ERROR, error.errorType().orElseThrow());
      assertTrue(error.headers().values("x-should-retry").isEmpty());
    }
    attempts.of(proxyId, 1);
  }

  @Test
  void aMidStreamErrorEventSurfacesAsTheSdksSseException() {
    String proxyId = proxy(faults(fault("stream-error", 1, new JsonObject().put("after_events", 4)
        .put("type", "overloaded_error").put("message", "Overloaded"))));
    List<String> received = new ArrayList<>();
    try (Sdk sdk = sdk(proxyId);
         StreamResponse<RawMessageStreamEvent> stream = sdk.client.messages().createStreaming(message())) {
      SseException error = assertThrows(SseException.class, () -> stream.stream().forEach(e -> received.add(type(e))));

      assertEquals(ErrorType.OVERLOADED_ERROR, error.errorType().orElseThrow());
      assertEquals("Overloaded", error.apiMessage().orElseThrow());
      assertTrue(error instanceof AnthropicServiceException);
    }
    // The four events before the error, less the ping the SDK swallows (as it does Anthropic's).
    assertEquals(List.of("message_start", "content_block_start", "content_block_delta"), received);
    attempts.of(proxyId, 1);
  }

  /** The event's name on the wire, as the SDK parsed it. */
  private static String type(RawMessageStreamEvent event) {
    return event.isMessageStart() ? "message_start" : event.isContentBlockStart() ? "content_block_start"
        : event.isContentBlockDelta() ? "content_block_delta" : event.isContentBlockStop() ? "content_block_stop"
        : event.isMessageDelta() ? "message_delta" : event.isMessageStop() ? "message_stop" : "other";
  }

  private static MessageCreateParams message() {
    return MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(64).addUserMessage("hi").build();
  }

  private static String proxy(JsonArray faults) {
    return FaultTests.mockProxy(admin, faultline, "anthropic-sdk-" + PROXIES.incrementAndGet(), faults, null)
        .getString("id");
  }

  private static Sdk sdk(String proxyId) {
    int port = await(admin.get(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + proxyId).send())
        .bodyAsJsonObject().getInteger("port");
    // Retries left at the SDK's default, as a user would; the base URL without /v1, as Anthropic's is.
    return new Sdk(AnthropicOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port).apiKey("sk-ant-test")
        .timeout(Duration.ofSeconds(15)).build());
  }

  private record Sdk(AnthropicClient client) implements AutoCloseable {
    @Override
    public void close() {
      client.close();
    }
  }
}
