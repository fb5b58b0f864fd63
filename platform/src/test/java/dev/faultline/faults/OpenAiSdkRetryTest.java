package dev.faultline.faults;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.faults.FaultTests.fault;
import static dev.faultline.faults.FaultTests.faults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI Java SDK against a proxy injecting 429s, left at its defaults: as its
 * documentation says, it retries a 429 twice (three attempts in all), waits what
 * {@code retry-after} asks, and then raises {@code RateLimitException} with OpenAI's type and
 * code. The attempts are counted in Faultline's own request log.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenAiSdkRetryTest {

  /** Longer than the SDK's own backoff (at most 1 s for its first two retries), so only honouring it explains the wait. */
  private static final int RETRY_AFTER_SECONDS = 2;

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private Faultline faultline;
  private WebClient admin;
  private final List<JsonObject> logged = new CopyOnWriteArrayList<>();
  private MessageConsumer<JsonObject> log;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    this.faultline = await(FaultlineHarness.start(vertx, dataDir));
    this.admin = FaultlineHarness.client(vertx);
    this.log = vertx.eventBus().consumer("faultline.log", message -> logged.add(message.body()));
    await(log.completion());
  }

  @AfterEach
  void stop() {
    await(log.unregister());
    await(faultline.stop());
  }

  @Test
  void sdkRetriesA429TwiceHonouringRetryAfterThenRaisesRateLimitException() {
    String proxyId = proxy(faults(fault("http-error", 1, new JsonObject().put("status", 429)
        .put("retry_after", RETRY_AFTER_SECONDS))));

    OpenAIClient sdk = sdk(proxyId);
    try {
      RateLimitException error = assertThrows(RateLimitException.class, () -> sdk.chat().completions().create(chat()));

      assertEquals(429, error.statusCode());
      assertEquals("requests", error.type().orElse(null));
      assertEquals("rate_limit_exceeded", error.code().orElse(null));
      assertEquals(String.valueOf(RETRY_AFTER_SECONDS), error.headers().values("retry-after").get(0));
    } finally {
      sdk.close();
    }
    List<JsonObject> attempts = attempts(proxyId, 3);
    assertTrue(attempts.stream().allMatch(a -> a.getInteger("status") == 429 && "http-error".equals(a.getString("fault"))),
        attempts.toString());
    assertWaitedRetryAfter(attempts);
  }

  @Test
  void sdkSucceedsOnItsThirdAttemptWhenTheOutageEnds() {
    // An outage of exactly two requests: the SDK's two retries are what carries it through.
    String proxyId = proxy(faults(fault("http-error", 1, new JsonObject().put("status", 429)
        .put("retry_after", RETRY_AFTER_SECONDS)).put("schedule", new JsonObject().put("next_requests", 2))));

    OpenAIClient sdk = sdk(proxyId);
    try {
      ChatCompletion completion = sdk.chat().completions().create(chat());
      assertTrue(completion.id().startsWith("chatcmpl-"), completion.id());
    } finally {
      sdk.close();
    }
    List<JsonObject> attempts = attempts(proxyId, 3);
    assertEquals(List.of(429, 429, 200), attempts.stream().map(a -> a.getInteger("status")).toList());
    assertWaitedRetryAfter(attempts);
  }

  private String proxy(JsonArray faults) {
    return FaultTests.mockProxy(admin, faultline, "sdk-429", faults, null).getString("id");
  }

  private OpenAIClient sdk(String proxyId) {
    int port = await(admin.get(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + proxyId).send())
        .bodyAsJsonObject().getInteger("port");
    // Retries left at the SDK's default, as a user would.
    return OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1").apiKey("sk-test")
        .timeout(Duration.ofSeconds(15)).build();
  }

  private static ChatCompletionCreateParams chat() {
    return ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O_MINI).addUserMessage("hi").build();
  }

  /** The proxy's log entries once {@code count} are in; the SDK has returned, so no more can come. */
  private List<JsonObject> attempts(String proxyId, int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      List<JsonObject> mine = logged.stream().filter(e -> proxyId.equals(e.getString("proxy_id"))).toList();
      if (mine.size() >= count || System.nanoTime() > deadline) {
        assertEquals(count, mine.size(), "attempts logged: " + mine);
        return mine;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static void assertWaitedRetryAfter(List<JsonObject> attempts) {
    for (int i = 1; i < attempts.size(); i++) {
      long gap = Duration.between(Instant.parse(attempts.get(i - 1).getString("ts")),
          Instant.parse(attempts.get(i).getString("ts"))).toMillis();
      assertTrue(gap >= RETRY_AFTER_SECONDS * 1000 - 100, "attempt " + (i + 1) + " came " + gap
          + " ms after the previous one; retry-after asked for " + RETRY_AFTER_SECONDS + " s");
    }
  }
}
