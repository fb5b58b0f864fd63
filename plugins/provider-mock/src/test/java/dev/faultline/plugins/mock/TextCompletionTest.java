package dev.faultline.plugins.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class TextCompletionTest {

  private static final String PATH = "/v1/completions";

  private MockClient mock;

  @BeforeEach
  void setUp(Vertx vertx) {
    mock = new MockClient(vertx, new JsonObject().put("completion_tokens", 24));
  }

  private static JsonObject prompt(Object prompt) {
    return new JsonObject().put("model", "gpt-3.5-turbo-instruct").put("prompt", prompt);
  }

  @Test
  void answersWithLegacyShape() {
    MockClient.Reply reply = mock.post(PATH, prompt("Say this is a test").put("max_tokens", 100));
    assertEquals(200, reply.status());
    JsonObject body = reply.json();
    assertEquals(Set.of("id", "object", "created", "model", "choices", "usage"), body.fieldNames());
    assertTrue(body.getString("id").matches("cmpl-[A-Za-z0-9]{29}"), body.getString("id"));
    assertEquals("text_completion", body.getString("object"));
    assertEquals("gpt-3.5-turbo-instruct", body.getString("model"));
    JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
    assertEquals(Set.of("text", "index", "logprobs", "finish_reason"), choice.fieldNames());
    assertEquals("stop", choice.getString("finish_reason"));
    assertEquals(24, MockTextTest.pieces(choice.getString("text")));
    JsonObject usage = body.getJsonObject("usage");
    assertEquals(Set.of("prompt_tokens", "completion_tokens", "total_tokens"), usage.fieldNames());
    assertEquals(5, usage.getInteger("prompt_tokens"), "18 chars, 5 words: no per-message overhead");
    assertEquals(24, usage.getInteger("completion_tokens"));
    assertEquals(29, usage.getInteger("total_tokens"));
  }

  @Test
  void stopsAtSixteenTokensByDefaultAsOpenAiDoes() {
    JsonObject choice = mock.post(PATH, prompt("Once upon a time")).json().getJsonArray("choices").getJsonObject(0);
    assertEquals("length", choice.getString("finish_reason"));
    assertEquals(TextCompletion.DEFAULT_MAX_TOKENS, MockTextTest.pieces(choice.getString("text")));
  }

  @Test
  void isDeterministicPerPrompt() {
    assertEquals(text(mock.post(PATH, prompt("A"))), text(mock.post(PATH, prompt("A"))));
    assertNotEquals(text(mock.post(PATH, prompt("A"))), text(mock.post(PATH, prompt("B"))));
  }

  @Test
  void numbersChoicesPromptByPrompt() {
    JsonObject body = mock.post(PATH, prompt(new JsonArray().add("A").add("B")).put("n", 2)).json();
    JsonArray choices = body.getJsonArray("choices");
    assertEquals(4, choices.size());
    for (int i = 0; i < 4; i++) {
      assertEquals(i, choices.getJsonObject(i).getInteger("index"));
    }
    assertEquals(text(mock.post(PATH, prompt("B"))), choices.getJsonObject(2).getString("text"),
        "choice 2 is the first answer to the second prompt");
    assertEquals(2, body.getJsonObject("usage").getInteger("prompt_tokens"));
    assertEquals(4 * 16, body.getJsonObject("usage").getInteger("completion_tokens"));
  }

  @Test
  void countsTokenPromptsByLength() {
    JsonObject usage = mock.post(PATH, prompt(new JsonArray(List.of(1, 2, 3, 4, 5)))).json().getJsonObject("usage");
    assertEquals(5, usage.getInteger("prompt_tokens"));
    usage = mock.post(PATH, prompt(new JsonArray().add(new JsonArray(List.of(1, 2))).add(new JsonArray(List.of(3)))))
        .json().getJsonObject("usage");
    assertEquals(3, usage.getInteger("prompt_tokens"));
  }

  @Test
  void streamsTextChunksThenFinishThenUsage() {
    JsonObject request = prompt("Go").put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
    MockClient.Reply reply = mock.post(PATH, request);
    assertTrue(reply.header("content-type").startsWith("text/event-stream"));
    List<String> events = reply.events();
    assertEquals("[DONE]", events.get(events.size() - 1));
    List<JsonObject> chunks = reply.chunks();
    assertEquals(16 + 1 + 1, chunks.size(), "16 tokens, finish, usage");

    StringBuilder text = new StringBuilder();
    for (JsonObject chunk : chunks.subList(0, 16)) {
      assertEquals("text_completion", chunk.getString("object"));
      assertTrue(chunk.containsKey("usage") && chunk.getValue("usage") == null);
      JsonObject choice = chunk.getJsonArray("choices").getJsonObject(0);
      assertEquals(null, choice.getValue("finish_reason"));
      text.append(choice.getString("text"));
    }
    JsonObject finish = chunks.get(16).getJsonArray("choices").getJsonObject(0);
    assertEquals("", finish.getString("text"));
    assertEquals("length", finish.getString("finish_reason"));
    JsonObject usage = chunks.get(17);
    assertEquals(0, usage.getJsonArray("choices").size());
    assertEquals(16, usage.getJsonObject("usage").getInteger("completion_tokens"));
    assertEquals(text(mock.post(PATH, prompt("Go"))), text.toString());
  }

  @Test
  void refusesAMissingOrMistypedPrompt() {
    MockClient.Reply missing = mock.post(PATH, new JsonObject().put("model", "gpt-3.5-turbo-instruct"));
    assertEquals(400, missing.status());
    assertEquals("prompt", missing.json().getJsonObject("error").getString("param"));
    MockClient.Reply mistyped = mock.post(PATH, prompt(new JsonArray().add(true)));
    assertEquals(400, mistyped.status());
    assertEquals("invalid_type", mistyped.json().getJsonObject("error").getString("code"));
  }

  private static String text(MockClient.Reply reply) {
    return reply.json().getJsonArray("choices").getJsonObject(0).getString("text");
  }
}
