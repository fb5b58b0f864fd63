package dev.faultline.plugins.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ChatToMessagesTest {

  @Test
  void systemMessagesJoinTheSystemPromptAndTurnsKeepTheirOrder() {
    JsonObject chat = new JsonObject("""
        {"model":"claude-sonnet-4","messages":[
          {"role":"system","content":"Be brief."},
          {"role":"developer","content":[{"type":"text","text":"Answer in French."}]},
          {"role":"user","content":"hi"},
          {"role":"assistant","content":"bonjour"},
          {"role":"user","content":[{"type":"text","text":"again"},
            {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBOR"}}]}],
         "temperature":0.2,"top_p":0.9,"stop":"END","user":"u-1","seed":7,"presence_penalty":1}""");

    JsonObject messages = ChatToMessages.translate(chat, 4096);

    assertEquals(new JsonObject("""
        {"model":"claude-sonnet-4","max_tokens":4096,"system":"Be brief.\\n\\nAnswer in French.",
         "messages":[
           {"role":"user","content":[{"type":"text","text":"hi"}]},
           {"role":"assistant","content":[{"type":"text","text":"bonjour"}]},
           {"role":"user","content":[{"type":"text","text":"again"},
             {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}}]}],
         "temperature":0.2,"top_p":0.9,"stop_sequences":["END"],"metadata":{"user_id":"u-1"}}"""), messages);
  }

  @Test
  void maxCompletionTokensWinsOverMaxTokensAndTheDefaultFillsIn() {
    JsonObject chat = new JsonObject().put("model", "claude-3-5-haiku")
        .put("messages", JsonArray.of(new JsonObject().put("role", "user").put("content", "hi")));
    assertEquals(123, ChatToMessages.translate(chat, 123).getInteger("max_tokens"));
    assertEquals(50, ChatToMessages.translate(chat.copy().put("max_tokens", 50), 123).getInteger("max_tokens"));
    assertEquals(60, ChatToMessages.translate(chat.copy().put("max_tokens", 50).put("max_completion_tokens", 60), 123)
        .getInteger("max_tokens"));
  }

  @Test
  void toolsToolCallsAndToolResultsBecomeAnthropicBlocks() {
    JsonObject chat = new JsonObject("""
        {"model":"claude-sonnet-4","messages":[
          {"role":"user","content":"weather in Paris and Rome?"},
          {"role":"assistant","content":"","tool_calls":[
            {"id":"toolu_1","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
            {"id":"toolu_2","type":"function","function":{"name":"weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
          {"role":"tool","tool_call_id":"toolu_1","content":"18C"},
          {"role":"tool","tool_call_id":"toolu_2","content":[{"type":"text","text":"24C"}]},
          {"role":"user","content":"thanks"}],
         "tools":[{"type":"function","function":{"name":"weather","description":"Weather now",
           "parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
         "tool_choice":"required","parallel_tool_calls":false}""");

    JsonObject messages = ChatToMessages.translate(chat, 4096);

    assertEquals(new JsonArray("""
        [{"role":"user","content":[{"type":"text","text":"weather in Paris and Rome?"}]},
         {"role":"assistant","content":[
           {"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris"}},
           {"type":"tool_use","id":"toolu_2","name":"weather","input":{"city":"Rome"}}]},
         {"role":"user","content":[
           {"type":"tool_result","tool_use_id":"toolu_1","content":"18C"},
           {"type":"tool_result","tool_use_id":"toolu_2","content":"24C"},
           {"type":"text","text":"thanks"}]}]"""), messages.getJsonArray("messages"));
    assertEquals(new JsonArray("""
        [{"name":"weather","description":"Weather now",
          "input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}]"""), messages.getJsonArray("tools"));
    assertEquals(new JsonObject().put("type", "any").put("disable_parallel_tool_use", true),
        messages.getJsonObject("tool_choice"));
  }

  @Test
  void toolChoiceNamesMapToAnthropics() {
    assertEquals(new JsonObject().put("type", "tool").put("name", "weather"), choice(
        new JsonObject().put("type", "function").put("function", new JsonObject().put("name", "weather"))));
    assertEquals(new JsonObject().put("type", "none"), choice("none"));
    assertEquals(new JsonObject().put("type", "auto"), choice("auto"));
    assertEquals(new JsonObject().put("type", "any"), choice("required"));
  }

  @Test
  void whatMessagesCannotExpressIsRefusedNamingTheField() {
    JsonObject chat = new JsonObject().put("model", "claude-sonnet-4")
        .put("messages", JsonArray.of(new JsonObject().put("role", "user").put("content", "hi")));
    assertEquals("n", refused(chat.copy().put("n", 2)).param());
    assertEquals("logprobs", refused(chat.copy().put("logprobs", true)).param());
    assertEquals("response_format", refused(chat.copy().put("response_format",
        new JsonObject().put("type", "json_object"))).param());
    assertEquals("messages[0].role", refused(chat.copy().put("messages", JsonArray.of(
        new JsonObject().put("role", "function").put("content", "x")))).param());
    assertEquals("messages[0].content[0].type", refused(chat.copy().put("messages", JsonArray.of(
        new JsonObject().put("role", "user").put("content", JsonArray.of(new JsonObject().put("type", "input_audio"))))))
        .param());
    UntranslatableRequest badArguments = refused(chat.copy().put("messages", new JsonArray("""
        [{"role":"assistant","tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"[1]"}}]}]""")));
    assertEquals("messages[0].tool_calls[0].function.arguments", badArguments.param());
    assertTrue(badArguments.getMessage().contains("JSON object"), badArguments.getMessage());
    assertFalse(ChatToMessages.translate(chat.copy().put("response_format", new JsonObject().put("type", "text")), 1)
        .containsKey("response_format"));
  }

  private static JsonObject choice(Object toolChoice) {
    JsonObject chat = new JsonObject().put("model", "claude-sonnet-4")
        .put("messages", JsonArray.of(new JsonObject().put("role", "user").put("content", "hi")))
        .put("tools", new JsonArray("[{\"type\":\"function\",\"function\":{\"name\":\"weather\"}}]"))
        .put("tool_choice", toolChoice);
    return ChatToMessages.translate(chat, 10).getJsonObject("tool_choice");
  }

  private static UntranslatableRequest refused(JsonObject chat) {
    return assertThrows(UntranslatableRequest.class, () -> ChatToMessages.translate(chat, 10));
  }
}
