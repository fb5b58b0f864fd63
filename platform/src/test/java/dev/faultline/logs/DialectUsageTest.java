package dev.faultline.logs;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens and cost of Anthropic Messages and OpenAI Responses calls, whole and streamed, read from
 * each API's own usage fields ({@code input_tokens} / {@code output_tokens}) and logged as the
 * answer itself reported them.
 */
@ExtendWith(VertxExtension.class)
@Timeout(60)
class DialectUsageTest {

  @TempDir
  Path dataDir;

  private Faultline faultline;
  private WebClient client;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    faultline = await(FaultlineHarness.start(vertx, dataDir));
    client = FaultlineHarness.client(vertx);
    port = LogTesting.proxy(client, faultline, new JsonObject().put("name", "dialects").put("provider", "mock"))
        .getInteger("port");
  }

  @AfterEach
  void stop() {
    await(faultline.stop());
  }

  @Test
  void aMessagesAnswersUsageIsLoggedAsItsInputAndOutputTokens() {
    JsonObject answer = expect(post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"how are you today\"}]}"), 200).bodyAsJsonObject();
    JsonObject usage = answer.getJsonObject("usage");
    JsonObject entry = only("/v1/messages");
    assertEquals(usage.getInteger("input_tokens"), entry.getInteger("prompt_tokens"), entry.encode());
    assertEquals(usage.getInteger("output_tokens"), entry.getInteger("completion_tokens"), entry.encode());
    assertEquals("claude-sonnet-4-5", entry.getString("model"));
    assertTrue(entry.getDouble("cost_usd") != null && entry.getDouble("cost_usd") > 0, entry.encode());
  }

  @Test
  void aStreamedMessagesAnswersUsageComesFromItsStartAndDelta() {
    String events = expect(post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"how are you today\"}]}"), 200).bodyAsString();
    JsonObject entry = only("/v1/messages");
    assertTrue(entry.getInteger("prompt_tokens") > 0 && entry.getInteger("completion_tokens") > 0, entry.encode());
    assertEquals(Boolean.FALSE, entry.getBoolean("usage_estimated"), "reported by the stream, not counted here");
    assertTrue(events.contains("\"output_tokens\":" + entry.getInteger("completion_tokens")),
        "the logged output count is the stream's own: " + entry.encode());
  }

  @Test
  void aResponsesAnswersUsageIsLoggedWholeAndStreamed() {
    JsonObject answer = expect(post("/v1/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"how are you\"}"), 200)
        .bodyAsJsonObject();
    JsonObject usage = answer.getJsonObject("usage");
    JsonObject entry = only("/v1/responses");
    assertEquals(usage.getInteger("input_tokens"), entry.getInteger("prompt_tokens"), entry.encode());
    assertEquals(usage.getInteger("output_tokens"), entry.getInteger("completion_tokens"), entry.encode());

    expect(post("/v1/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"how are you\",\"stream\":true}"), 200);
    JsonObject streamed = LogTesting.awaitEntries(client, faultline, "", 2).get(0);   // newest first
    assertEquals(Boolean.TRUE, streamed.getBoolean("stream"), streamed.encode());
    assertEquals(Boolean.FALSE, streamed.getBoolean("usage_estimated"), "from response.completed: " + streamed.encode());
    assertTrue(streamed.getInteger("prompt_tokens") > 0 && streamed.getInteger("completion_tokens") > 0,
        streamed.encode());
  }

  private HttpResponse<Buffer> post(String path, String body) {
    return await(client.post(port, "127.0.0.1", path).putHeader("content-type", "application/json")
        .putHeader("Authorization", "Bearer sk-test").putHeader("x-api-key", "sk-test")
        .sendBuffer(Buffer.buffer(body)));
  }

  private JsonObject only(String path) {
    JsonObject entry = LogTesting.awaitEntries(client, faultline, "", 1).get(0);
    assertEquals(path, entry.getString("path"));
    return entry;
  }
}
