package dev.faultline.plugins.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.plugin.api.BufferStream;
import dev.faultline.plugin.api.ProviderSession;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class StreamingTest {

  private static final String CHAT = "/v1/chat/completions";

  private static JsonObject streamed(String text) {
    return ChatCompletionTest.chat("gpt-4o-mini", text).put("stream", true);
  }

  @Test
  void chatStreamFollowsOpenAiChunkSequence(Vertx vertx) {
    MockClient mock = new MockClient(vertx, new JsonObject().put("completion_tokens", 12));
    MockClient.Reply reply = mock.post(CHAT, streamed("Stream please"));
    assertEquals(200, reply.status());
    assertTrue(reply.header("content-type").startsWith("text/event-stream"), reply.header("content-type"));

    List<String> events = reply.events();
    assertEquals("[DONE]", events.get(events.size() - 1), "the stream ends with [DONE]");
    List<JsonObject> chunks = reply.chunks();
    assertEquals(1 + 12 + 1, chunks.size(), "role chunk, one chunk per token, finish chunk: " + events);

    JsonObject first = chunks.get(0);
    assertTrue(first.getString("id").startsWith("chatcmpl-"));
    for (JsonObject chunk : chunks) {
      assertEquals(Set.of("id", "object", "created", "model", "service_tier", "system_fingerprint", "choices"),
          chunk.fieldNames(), "no usage field without include_usage: " + chunk);
      assertEquals("chat.completion.chunk", chunk.getString("object"));
      assertEquals(first.getString("id"), chunk.getString("id"), "one id for every chunk");
      assertEquals(first.getLong("created"), chunk.getLong("created"));
      assertEquals("gpt-4o-mini", chunk.getString("model"));
      assertEquals(1, chunk.getJsonArray("choices").size());
      JsonObject choice = chunk.getJsonArray("choices").getJsonObject(0);
      assertEquals(Set.of("index", "delta", "logprobs", "finish_reason"), choice.fieldNames());
      assertEquals(0, choice.getInteger("index"));
    }
    JsonObject opening = choice(first);
    assertEquals(new JsonObject().put("role", "assistant").put("content", "").putNull("refusal"), opening.getJsonObject("delta"));
    assertNull(opening.getValue("finish_reason"));

    StringBuilder text = new StringBuilder();
    for (JsonObject chunk : chunks.subList(1, chunks.size() - 1)) {
      JsonObject delta = choice(chunk).getJsonObject("delta");
      assertEquals(Set.of("content"), delta.fieldNames(), "token chunks carry content only: " + chunk);
      assertNull(choice(chunk).getValue("finish_reason"));
      text.append(delta.getString("content"));
    }
    JsonObject finish = choice(chunks.get(chunks.size() - 1));
    assertEquals(new JsonObject(), finish.getJsonObject("delta"), "the finish chunk has an empty delta");
    assertEquals("stop", finish.getString("finish_reason"));

    String whole = ChatCompletionTest.content(mock.post(CHAT, ChatCompletionTest.chat("gpt-4o-mini", "Stream please")));
    assertEquals(whole, text.toString(), "the streamed pieces spell the non-streamed answer");
  }

  @Test
  void everyEventIsWrittenAsItsOwnBuffer(Vertx vertx) {
    MockClient.Reply reply = new MockClient(vertx).post(CHAT, streamed("Frames"));
    for (var write : reply.writes()) {
      String frame = write.toString();
      assertTrue(frame.startsWith("data: ") && frame.endsWith("\n\n") && frame.indexOf("\n\n") == frame.length() - 2,
          "one whole event per buffer: " + frame);
    }
  }

  @Test
  void includeUsageAddsAFinalUsageChunkAndNullUsageBefore(Vertx vertx) {
    MockClient mock = new MockClient(vertx);
    JsonObject request = streamed("Count").put("stream_options", new JsonObject().put("include_usage", true));
    List<JsonObject> chunks = mock.post(CHAT, request).chunks();

    JsonObject last = chunks.get(chunks.size() - 1);
    assertEquals(0, last.getJsonArray("choices").size(), "the usage chunk has no choices");
    for (JsonObject chunk : chunks.subList(0, chunks.size() - 1)) {
      assertTrue(chunk.containsKey("usage") && chunk.getValue("usage") == null, "usage: null before the end: " + chunk);
    }
    JsonObject expected = mock.post(CHAT, ChatCompletionTest.chat("gpt-4o-mini", "Count")).json().getJsonObject("usage");
    assertEquals(expected, last.getJsonObject("usage"), "same usage as the non-streamed answer");
    assertEquals(chunks.size() - 3, last.getJsonObject("usage").getInteger("completion_tokens"),
        "one chunk per completion token, besides role, finish and usage chunks");
  }

  @Test
  void maxTokensEndsTheStreamWithLength(Vertx vertx) {
    List<JsonObject> chunks = new MockClient(vertx).post(CHAT, streamed("Long").put("max_tokens", 4)).chunks();
    assertEquals(1 + 4 + 1, chunks.size());
    assertEquals("length", choice(chunks.get(chunks.size() - 1)).getString("finish_reason"));
  }

  @Test
  void severalChoicesAreStreamedByIndex(Vertx vertx) {
    MockClient mock = new MockClient(vertx, new JsonObject().put("completion_tokens", 5));
    List<JsonObject> chunks = mock.post(CHAT, streamed("Two").put("n", 2)).chunks();
    assertEquals(2 * (1 + 5 + 1), chunks.size());
    JsonObject whole = mock.post(CHAT, ChatCompletionTest.chat("gpt-4o-mini", "Two").put("n", 2)).json();
    for (int index = 0; index < 2; index++) {
      StringBuilder text = new StringBuilder();
      int i = index;
      chunks.stream().map(StreamingTest::choice).filter(c -> c.getInteger("index") == i)
          .map(c -> c.getJsonObject("delta").getString("content", "")).forEach(text::append);
      assertEquals(whole.getJsonArray("choices").getJsonObject(index).getJsonObject("message").getString("content"),
          text.toString(), "choice " + index);
    }
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void pacedStreamDeliversEventsBeforeTheLastIsProduced(Vertx vertx, VertxTestContext test) {
    ProviderSession session = new MockProvider().open(MockClient.context(vertx,
        new JsonObject().put("tokens_per_second", 50).put("completion_tokens", 5)));
    List<Boolean> finishedAtArrival = new ArrayList<>();
    List<String> frames = new ArrayList<>();
    vertx.runOnContext(v -> session.forward(MockClient.request("POST", CHAT, streamed("Slowly")))
        .onComplete(test.succeeding(response -> {
          BufferStream body = (BufferStream) response.body();
          test.verify(() -> assertFalse(body.finished(), "the response comes back before the stream has ended"));
          body.exceptionHandler(test::failNow);
          body.handler(frame -> {
            frames.add(frame.toString());
            finishedAtArrival.add(body.finished());
          });
          body.endHandler(end -> test.verify(() -> {
            assertEquals(1 + 5 + 1 + 1, frames.size(), "role, 5 tokens, finish, [DONE]: " + frames);
            assertEquals("data: [DONE]\n\n", frames.get(frames.size() - 1));
            assertFalse(finishedAtArrival.get(0), "the first event arrived while the stream was still being produced");
            assertFalse(finishedAtArrival.get(1), "the first token arrived while the stream was still being produced");
            test.completeNow();
          }));
        })));
  }

  @Test
  void unpacedStreamIsProducedAtOnce(Vertx vertx) {
    MockClient mock = new MockClient(vertx);
    BufferStream body = mock.onContext(() -> mock.session()
        .forward(MockClient.request("POST", CHAT, streamed("Fast")))
        .map(response -> (BufferStream) response.body()));
    assertTrue(body.finished(), "with no pace the whole stream is ready when the response is");
  }

  @Test
  @Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
  void closingTheSessionFailsAStreamInFlight(Vertx vertx, VertxTestContext test) {
    ProviderSession session = new MockProvider().open(MockClient.context(vertx,
        new JsonObject().put("tokens_per_second", 1).put("completion_tokens", 50)));
    vertx.runOnContext(v -> session.forward(MockClient.request("POST", CHAT, streamed("Stop me")))
        .onComplete(test.succeeding(response -> {
          response.body().endHandler(end -> test.failNow("a cut stream must not end normally"));
          response.body().exceptionHandler(error -> test.verify(() -> {
            assertTrue(error.getMessage().contains("stopped"), error.getMessage());
            test.completeNow();
          }));
          response.body().handler(frame -> {
            if (frame.toString().contains("\"role\"")) {
              session.close();
            }
          });
        })));
  }

  @Test
  void pacedWholeAnswerReportsItsGenerationTime(Vertx vertx) {
    MockClient mock = new MockClient(vertx, new JsonObject().put("tokens_per_second", 200).put("completion_tokens", 10));
    MockClient.Reply reply = mock.post(CHAT, ChatCompletionTest.chat("gpt-4o", "Wait"));
    assertEquals(200, reply.status());
    assertEquals("50", reply.header("openai-processing-ms"), "10 tokens at 200 tokens/s");
  }

  static JsonObject choice(JsonObject chunk) {
    return chunk.getJsonArray("choices").getJsonObject(0);
  }
}
