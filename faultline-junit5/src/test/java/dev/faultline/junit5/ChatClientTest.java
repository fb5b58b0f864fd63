package dev.faultline.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.RateLimitException;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit as an application's test suite uses it: the README's example, word for word. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatClientTest {

  @RegisterExtension
  static FaultlineExtension faultline = new FaultlineExtension();

  static FaultlineProxy openai;
  static OpenAIClient client;

  @BeforeAll
  static void connect() {
    openai = faultline.mockProxy("openai");
    // The application's own client, pointed at the proxy instead of api.openai.com.
    client = OpenAIOkHttpClient.builder().baseUrl(openai.baseUrl()).apiKey("sk-test")
        .timeout(Duration.ofSeconds(15)).build();
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @Test
  void aChatCompletionWorks() {
    ChatCompletion completion = client.chat().completions().create(chat());

    assertTrue(completion.id().startsWith("chatcmpl-"), completion.id());
    Journal journal = openai.journal(1);
    assertEquals(1, journal.count());
    assertEquals(List.of("gpt-4o-mini"), journal.models());
    assertEquals(List.of(200), journal.statuses());
    assertEquals(List.of("none"), journal.faults());
  }

  @Test
  void a429IsRetriedByTheSdkThenRaisedAsRateLimitException() {
    openai.faults("{\"error_rates\": {\"429\": 1.0}}");

    RateLimitException error = assertThrows(RateLimitException.class, () -> client.chat().completions().create(chat()));

    assertEquals(429, error.statusCode());
    // The SDK's default: two retries, so three requests reached the proxy.
    Journal journal = openai.journal(3);
    assertEquals(List.of(429, 429, 429), journal.statuses());
    assertEquals(List.of("http-error", "http-error", "http-error"), journal.faults());
  }

  private static ChatCompletionCreateParams chat() {
    return ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O_MINI).addUserMessage("hi").build();
  }
}
