package dev.faultline.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.faultline.proxy.request.AnswerFacts;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading bodies as they stream past, whatever the chunking: SSE events and the members of a large JSON answer. */
class ResponseReadingTest {

  @Test
  void sseEventsComeOutWholeHoweverTheBytesAreCut() {
    String stream = "data: {\"a\":\"é😀\"}\n\n: a comment\n\nevent: x\r\ndata: line one\r\ndata: line two\r\n\r\n"
        + "id: 7\ndata: [DONE]\n\n";
    List<String> expected = List.of("{\"a\":\"é😀\"}", "line one\nline two", "[DONE]");
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    for (int size = 1; size <= bytes.length; size++) {
      List<String> events = new ArrayList<>();
      SseEvents reader = new SseEvents(events::add);
      for (int i = 0; i < bytes.length; i += size) {
        reader.feed(Buffer.buffer().appendBytes(bytes, i, Math.min(size, bytes.length - i)));
      }
      assertEquals(expected, events, "chunks of " + size + " bytes");
    }
  }

  @Test
  void anSseEventOverAMegabyteStopsTheReadingNotTheMemory() {
    List<String> events = new ArrayList<>();
    SseEvents reader = new SseEvents(events::add);
    Buffer big = Buffer.buffer("data: ");
    for (int i = 0; i < 1100; i++) {
      big.appendString("x".repeat(1024));
    }
    reader.feed(big);
    reader.feed(Buffer.buffer("\n\ndata: after\n\n"));
    assertEquals(List.of(), events, "nothing is made of a stream that is not an LLM's");
  }

  @Test
  void theMembersALogNeedsAreReadFromAJsonAnswerFedByteByByte() {
    JsonArray vectors = new JsonArray();
    for (int i = 0; i < 200; i++) {
      vectors.add(new JsonObject().put("embedding", new JsonArray().add(0.1).add(-0.2)).put("usage", "not this one"));
    }
    JsonObject body = new JsonObject().put("object", "list").put("data", vectors).put("model", "text-embedding-3-small")
        .put("error", new JsonObject().put("code", "x").put("nested", new JsonArray().add(new JsonObject().put("a", 1))))
        .put("usage", new JsonObject().put("prompt_tokens", 8).put("total_tokens", 8)
            .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 2)));
    byte[] bytes = body.toBuffer().getBytes();
    JsonFacts facts = new JsonFacts();
    for (byte b : bytes) {
      facts.feed(Buffer.buffer(new byte[] {b}));
    }
    assertEquals(new JsonObject().put("usage", body.getJsonObject("usage")).put("error", body.getJsonObject("error"))
        .put("model", "text-embedding-3-small"), facts.facts(), "only the top-level members, whole");

    JsonFacts notJson = new JsonFacts();
    notJson.feed(Buffer.buffer("<html>502 Bad Gateway</html>"));
    assertEquals(new JsonObject(), notJson.facts());
  }

  @Test
  void aWholeBodyIsReadToTheSameMembersAsAStreamedOne() {
    JsonObject body = new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion")
        .put("choices", new JsonArray().add(new JsonObject().put("message", new JsonObject().put("content", "é😀 {\"x\"}"))
            .put("usage", "not this one")))
        .put("model", "gpt-4o-mini-2024-07-18")
        .put("usage", new JsonObject().put("prompt_tokens", 8).put("completion_tokens", 2)
            .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 2)));
    JsonFacts streamed = new JsonFacts();
    streamed.feed(body.toBuffer());
    assertEquals(streamed.facts(), AnswerFacts.of(body.toBuffer()).members());
    assertEquals(new JsonObject().put("error", new JsonObject().put("type", "rate_limit_exceeded").put("message", "slow")),
        AnswerFacts.of(Buffer.buffer("{\"error\":{\"type\":\"rate_limit_exceeded\",\"message\":\"slow\"}}")).members());
    assertEquals(new JsonObject(), AnswerFacts.of(Buffer.buffer("<html>502 Bad Gateway</html>")).members(), "not JSON");
    assertEquals(new JsonObject(), AnswerFacts.of(Buffer.buffer("{\"model\":\"gpt\",\"usage\":{\"prompt")).members(), "cut short");
    assertEquals(new JsonObject(), AnswerFacts.of(Buffer.buffer("[1,2]")).members(), "not an object");
  }

  @Test
  void aBodyReadBeforeItWentOutIsNotReadAgainButAnythingElseThatWentOutIs() {
    Buffer body = Buffer.buffer("{\"model\":\"gpt-4o-mini-2024-07-18\",\"usage\":{\"prompt_tokens\":8}}");
    // Facts unlike the body's, to tell which was read.
    AnswerFacts known = new AnswerFacts(body, new JsonObject().put("model", "read-before"));

    ResponseObserver sent = observer(known);
    sent.chunk(body);
    assertEquals("read-before", sent.model(), "the very buffer went out: what was read of it stands");

    ResponseObserver copy = observer(known);
    copy.chunk(body.copy());
    assertEquals("gpt-4o-mini-2024-07-18", copy.model(), "another buffer, though with the same bytes, is read");

    ResponseObserver more = observer(known);
    more.chunk(body);
    more.chunk(Buffer.buffer("\n"));
    assertEquals("gpt-4o-mini-2024-07-18", more.model(), "more than that buffer went out: all of it is read");

    ResponseObserver none = observer(null);
    none.chunk(body);
    assertEquals("gpt-4o-mini-2024-07-18", none.model());
  }

  private static ResponseObserver observer(AnswerFacts known) {
    return new ResponseObserver(null, null, "application/json", 0, null, null, known);
  }

  @Test
  void timestampsAreWrittenExactlyAsInstantWritesThem() {
    java.util.Random random = new java.util.Random(7);
    long[] fixed = {0, -1, 1, 999, 1000, 86_399_999L, 86_400_000L, -86_400_001L, 1_767_225_599_999L, 253_402_300_799_999L,
        253_402_300_800_000L, -62_167_219_200_000L, -62_167_219_200_001L};
    for (long millis : fixed) {
      assertEquals(java.time.Instant.ofEpochMilli(millis).toString(), LogField.iso(millis), "at " + millis);
    }
    for (int i = 0; i < 100_000; i++) {
      long millis = random.nextLong(-100_000_000_000_000L, 300_000_000_000_000L);
      assertEquals(java.time.Instant.ofEpochMilli(millis).toString(), LogField.iso(millis), "at " + millis);
      assertEquals(millis, LogField.epochMillis(LogField.iso(millis)), "read back at " + millis);
    }
  }
}
