package dev.faultline.plugins.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ChatCompletionTest {

  private static final String PATH = "/v1/chat/completions";

  private Vertx vertx;
  private MockClient mock;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.mock = new MockClient(vertx);
  }

  static JsonObject chat(String model, String... userTexts) {
    JsonArray messages = new JsonArray().add(new JsonObject().put("role", "system").put("content", "Be brief."));
    for (String text : userTexts) {
      messages.add(new JsonObject().put("role", "user").put("content", text));
    }
    return new JsonObject().put("model", model).put("messages", messages);
  }

  @Test
  void answersWithOpenAiShape() {
    MockClient.Reply reply = mock.post(PATH, chat("gpt-4o-mini", "Hello there"));
    assertEquals(200, reply.status());
    assertEquals("application/json", reply.header("content-type"));
    JsonObject body = reply.json();
    assertEquals(Set.of("id", "object", "created", "model", "choices", "usage", "service_tier", "system_fingerprint"),
        body.fieldNames(), "top-level fields");
    assertTrue(body.getString("id").matches("chatcmpl-[A-Za-z0-9]{29}"), "id: " + body.getString("id"));
    assertEquals("chat.completion", body.getString("object"));
    long now = System.currentTimeMillis() / 1000;
    assertTrue(Math.abs(now - body.getLong("created")) < 60, "created is epoch seconds: " + body.getLong("created"));
    assertEquals("gpt-4o-mini", body.getString("model"), "the request's model is echoed");
    assertTrue(body.getString("system_fingerprint").matches("fp_[0-9a-f]{10}"), body.getString("system_fingerprint"));

    JsonArray choices = body.getJsonArray("choices");
    assertEquals(1, choices.size(), "one choice by default");
    JsonObject choice = choices.getJsonObject(0);
    assertEquals(Set.of("index", "message", "logprobs", "finish_reason"), choice.fieldNames());
    assertEquals(0, choice.getInteger("index"));
    assertTrue(choice.containsKey("logprobs") && choice.getValue("logprobs") == null, "logprobs: null");
    assertEquals("stop", choice.getString("finish_reason"));
    JsonObject message = choice.getJsonObject("message");
    assertEquals("assistant", message.getString("role"));
    assertTrue(message.containsKey("refusal") && message.getValue("refusal") == null, "refusal: null");
    assertTrue(message.getString("content").endsWith("."), "a complete answer ends a sentence: " + message);
    assertTrue(message.getString("content").length() > 10, "some content: " + message);

    JsonObject usage = body.getJsonObject("usage");
    assertEquals(new JsonObject().put("cached_tokens", 0).put("audio_tokens", 0), usage.getJsonObject("prompt_tokens_details"));
    assertEquals(new JsonObject().put("reasoning_tokens", 0).put("audio_tokens", 0)
            .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0),
        usage.getJsonObject("completion_tokens_details"));
  }

  @Test
  void sendsRealisticHeaders() {
    var request = MockClient.request("POST", PATH, chat("gpt-4o", "Hi"));
    MockClient.Reply reply = mock.send(request);
    assertEquals(request.id(), reply.header("x-request-id"), "x-request-id is the request id");
    assertTrue(reply.header("openai-processing-ms").matches("\\d+"), "openai-processing-ms is a number");
    assertEquals("2020-10-01", reply.header("openai-version"));
  }

  @Test
  void sameRequestGivesSameContentAndDifferentRequestsDiffer() {
    String first = content(mock.post(PATH, chat("gpt-4o", "What is a fault line?")));
    String again = content(new MockClient(vertx).post(PATH, chat("gpt-4o", "What is a fault line?")));
    String otherQuestion = content(mock.post(PATH, chat("gpt-4o", "What is a proxy?")));
    String otherModel = content(mock.post(PATH, chat("gpt-4.1", "What is a fault line?")));
    assertEquals(first, again, "same model and messages, even in another session, give the same text");
    assertNotEquals(first, otherQuestion, "different messages give different text");
    assertNotEquals(first, otherModel, "a different model gives different text");
  }

  @Test
  void keyOrderInMessagesDoesNotChangeTheAnswer() {
    JsonObject ordered = new JsonObject().put("model", "gpt-4o")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")));
    JsonObject reversed = new JsonObject().put("model", "gpt-4o")
        .put("messages", new JsonArray().add(new JsonObject().put("content", "Hi").put("role", "user")));
    assertEquals(content(mock.post(PATH, ordered)), content(mock.post(PATH, reversed)));
  }

  @Test
  void idsAreUniquePerCall() {
    JsonObject request = chat("gpt-4o", "Hi");
    assertNotEquals(mock.post(PATH, request).json().getString("id"), mock.post(PATH, request).json().getString("id"));
  }

  @Test
  void usageFollowsOpenAiCounting() {
    // system "Be brief." = 3 (message) + 1 (role) + 3 (9 chars); user "Hello there" = 3 + 1 + 3 (11 chars);
    // plus 3 to prime the reply.
    JsonObject usage = mock.post(PATH, chat("gpt-4o", "Hello there")).json().getJsonObject("usage");
    assertEquals(3 + 1 + 3 + 3 + 1 + 3 + 3, usage.getInteger("prompt_tokens"), "prompt tokens: " + usage);
    assertEquals(usage.getInteger("prompt_tokens") + usage.getInteger("completion_tokens"), usage.getInteger("total_tokens"),
        "total = prompt + completion");
  }

  @Test
  void completionTokensCountTheGeneratedPieces() {
    MockClient fixed = new MockClient(vertx, new JsonObject().put("completion_tokens", 24));
    JsonObject body = fixed.post(PATH, chat("gpt-4o", "Count me")).json();
    assertEquals(24, body.getJsonObject("usage").getInteger("completion_tokens"), "the option fixes the length");
    assertEquals("stop", body.getJsonArray("choices").getJsonObject(0).getString("finish_reason"));

    // Streamed, the same request shows its pieces one per chunk: the count is what was generated.
    JsonObject streamed = chat("gpt-4o", "Count me").put("stream", true);
    long pieces = fixed.post(PATH, streamed).chunks().stream()
        .map(c -> c.getJsonArray("choices").getJsonObject(0).getJsonObject("delta"))
        .filter(d -> d.containsKey("content") && !d.getString("content").isEmpty()).count();
    assertEquals(24, pieces, "one chunk per counted token");
  }

  @Test
  void lengthVariesWithinARangeWhenNotConfigured() {
    IntStream.range(0, 20).forEach(i -> {
      int tokens = mock.post(PATH, chat("gpt-4o", "question " + i)).json().getJsonObject("usage").getInteger("completion_tokens");
      assertTrue(tokens >= MockText.MIN_NATURAL && tokens <= MockText.MAX_NATURAL, "completion tokens " + tokens);
    });
  }

  @Test
  void maxTokensCutsTheAnswerWithFinishReasonLength() {
    JsonObject full = mock.post(PATH, chat("gpt-4o", "Tell me more")).json();
    JsonObject cut = mock.post(PATH, chat("gpt-4o", "Tell me more").put("max_tokens", 5)).json();
    JsonObject choice = cut.getJsonArray("choices").getJsonObject(0);
    assertEquals("length", choice.getString("finish_reason"));
    assertEquals(5, cut.getJsonObject("usage").getInteger("completion_tokens"));
    assertTrue(content(full).startsWith(choice.getJsonObject("message").getString("content")),
        "a cut answer is the start of the full one");
  }

  @Test
  void maxCompletionTokensWinsOverMaxTokens() {
    JsonObject body = mock.post(PATH, chat("o3-mini", "Think").put("max_completion_tokens", 3).put("max_tokens", 10)).json();
    assertEquals(3, body.getJsonObject("usage").getInteger("completion_tokens"));
    assertEquals("length", body.getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
  }

  @Test
  void nGivesThatManyDistinctChoices() {
    JsonObject single = mock.post(PATH, chat("gpt-4o", "Pick")).json();
    JsonObject body = mock.post(PATH, chat("gpt-4o", "Pick").put("n", 3)).json();
    JsonArray choices = body.getJsonArray("choices");
    assertEquals(3, choices.size());
    int sum = 0;
    for (int i = 0; i < 3; i++) {
      assertEquals(i, choices.getJsonObject(i).getInteger("index"));
      sum += MockTextTest.pieces(choices.getJsonObject(i).getJsonObject("message").getString("content"));
    }
    assertEquals(3, Set.of(text(choices, 0), text(choices, 1), text(choices, 2)).size(), "choices differ");
    assertEquals(content(single), text(choices, 0), "the first choice does not depend on n");
    JsonObject usage = body.getJsonObject("usage");
    assertEquals(sum, usage.getInteger("completion_tokens"), "completion tokens add up over choices");
    assertEquals(single.getJsonObject("usage").getInteger("prompt_tokens"), usage.getInteger("prompt_tokens"),
        "the prompt is counted once");
  }

  @Test
  void countsContentPartsImagesAndTools() {
    JsonObject parts = new JsonObject().put("model", "gpt-4o").put("messages", new JsonArray().add(new JsonObject()
        .put("role", "user")
        .put("content", new JsonArray()
            .add(new JsonObject().put("type", "text").put("text", "Hello there"))
            .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", "https://x/y.png"))))));
    int prompt = mock.post(PATH, parts).json().getJsonObject("usage").getInteger("prompt_tokens");
    assertEquals(3 + 1 + 3 + TokenCount.IMAGE + 3, prompt);

    JsonObject withTools = parts.copy().put("tools", new JsonArray().add(new JsonObject().put("type", "function")
        .put("function", new JsonObject().put("name", "get_weather"))));
    int withToolsPrompt = mock.post(PATH, withTools).json().getJsonObject("usage").getInteger("prompt_tokens");
    assertTrue(withToolsPrompt > prompt, "tool definitions are billed as prompt");
  }

  @Test
  void refusesBadRequestsLikeOpenAi() {
    assertBad(new JsonObject().put("messages", new JsonArray()), "model", "missing_required_parameter");
    assertBad(new JsonObject().put("model", 42).put("messages", new JsonArray()), "model", "invalid_type");
    assertBad(new JsonObject().put("model", "gpt-4o"), "messages", "missing_required_parameter");
    assertBad(new JsonObject().put("model", "gpt-4o").put("messages", "hi"), "messages", "invalid_type");
    assertBad(new JsonObject().put("model", "gpt-4o").put("messages", new JsonArray()), "messages", "empty_array");
    assertBad(new JsonObject().put("model", "gpt-4o").put("messages", new JsonArray().add("hi")), "messages[0]", "invalid_type");
    assertBad(new JsonObject().put("model", "gpt-4o").put("messages", new JsonArray().add(new JsonObject().put("content", "hi"))),
        "messages[0].role", "missing_required_parameter");
    assertBad(new JsonObject().put("model", "gpt-4o").put("messages", new JsonArray().add(new JsonObject().put("role", "robot"))),
        "messages[0].role", "invalid_value");
    assertBad(chat("gpt-4o", "Hi").put("n", 0), "n", "integer_below_min_value");
    assertBad(chat("gpt-4o", "Hi").put("n", 1000), "n", "integer_above_max_value");
    assertBad(chat("gpt-4o", "Hi").put("max_tokens", "ten"), "max_tokens", "invalid_type");
    assertBad(chat("gpt-4o", "Hi").put("max_tokens", 1.5), "max_tokens", "invalid_type");
    assertBad(chat("gpt-4o", "Hi").put("stream", "yes"), "stream", "invalid_type");
    assertBad(chat("gpt-4o", "Hi").put("stream_options", new JsonObject().put("include_usage", true)), "stream_options", null);
  }

  @Test
  void aGetIsNotAChatCompletion() {
    MockClient.Reply reply = mock.get(PATH);
    assertEquals(404, reply.status());
    assertNull(reply.json().getJsonObject("error").getString("param"));
  }

  private void assertBad(JsonObject request, String param, String code) {
    MockClient.Reply reply = mock.post(PATH, request);
    String what = "for " + request.encode();
    assertEquals(400, reply.status(), what);
    assertEquals("application/json", reply.header("content-type"), what);
    JsonObject error = reply.json().getJsonObject("error");
    assertEquals(Set.of("message", "type", "param", "code"), error.fieldNames(), what);
    assertEquals("invalid_request_error", error.getString("type"), what);
    assertEquals(param, error.getString("param"), what);
    assertEquals(code, error.getString("code"), what);
    assertTrue(error.getString("message").contains("'" + param.replaceAll("\\[.*", "")), "message names the field: " + error);
  }

  static String content(MockClient.Reply reply) {
    return text(reply.json().getJsonArray("choices"), 0);
  }

  private static String content(JsonObject body) {
    return text(body.getJsonArray("choices"), 0);
  }

  private static String text(JsonArray choices, int i) {
    return choices.getJsonObject(i).getJsonObject("message").getString("content");
  }
}
