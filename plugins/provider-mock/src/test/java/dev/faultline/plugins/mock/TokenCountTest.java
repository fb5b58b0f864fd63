package dev.faultline.plugins.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class TokenCountTest {

  @Test
  void estimatesTextByLengthButAtLeastOnePerWord() {
    assertEquals(0, TokenCount.text(""));
    assertEquals(0, TokenCount.text("   "));
    assertEquals(2, TokenCount.text("Hello"), "5 chars");
    assertEquals(4, TokenCount.text("a b c d"), "4 words beat 7 chars");
    assertEquals(25, TokenCount.text("x".repeat(100)), "100 chars");
  }

  @Test
  void addsOpenAiOverheadPerMessageAndForTheReply() {
    JsonArray messages = new JsonArray()
        .add(new JsonObject().put("role", "user").put("content", "Hi"))
        .add(new JsonObject().put("role", "assistant").put("content", (String) null))
        .add(new JsonObject().put("role", "user").put("content", "Hi").put("name", "bob"));
    assertEquals((3 + 1 + 1) + (3 + 1 + 0) + (3 + 1 + 1 + 1 + 1) + 3, TokenCount.chat(messages, null));
  }
}
