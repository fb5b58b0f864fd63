package dev.faultline.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.InternalServerException;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What one test does to a proxy stays in it: the second test runs after the first (ordered on
 * purpose) and finds neither its faults, nor its proxy, nor its requests in the journal.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PerTestScopeTest {

  @RegisterExtension
  static FaultlineExtension faultline = new FaultlineExtension();

  static FaultlineProxy openai;
  static OpenAIClient client;

  @BeforeAll
  static void connect() {
    openai = faultline.mockProxy("openai");
    client = OpenAIOkHttpClient.builder().baseUrl(openai.baseUrl()).apiKey("sk-test").maxRetries(0)
        .timeout(Duration.ofSeconds(15)).build();
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @Test
  @Order(1)
  void aTestSetsFaultsAndMakesAProxy() {
    openai.failWith(500);
    faultline.mockProxy("only-in-the-first-test");
    assertEquals(List.of("openai", "only-in-the-first-test"), faultline.proxyNames());

    assertThrows(InternalServerException.class, () -> client.chat().completions().create(chat()));
    assertEquals(List.of(500), openai.journal(1).statuses());
  }

  @Test
  @Order(2)
  void theNextTestStartsClean() {
    assertEquals(new JsonArray(), openai.faults());
    assertEquals(List.of("openai"), faultline.proxyNames());

    client.chat().completions().create(chat());

    // The first test's request is not this test's.
    assertEquals(List.of(200), openai.journal(1).statuses());
    assertEquals(1, openai.journal().count());
  }

  @Test
  @Order(3)
  void badFaultsFailNamingTheField() {
    AssertionError error = assertThrows(AssertionError.class,
        () -> openai.faults("[{\"strategy\": \"http-error\", \"params\": {\"status\": 99}}]"));

    assertTrue(error.getMessage().contains("faults[0].params.status"), error.getMessage());
  }

  private static ChatCompletionCreateParams chat() {
    return ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O_MINI).addUserMessage("hi").build();
  }
}
