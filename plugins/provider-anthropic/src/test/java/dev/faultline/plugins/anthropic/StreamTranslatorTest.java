package dev.faultline.plugins.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamTranslatorTest {

  static final String TOOL_STREAM = """
      event: message_start
      data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-20250514","content":[],"stop_reason":null,"usage":{"input_tokens":20,"cache_read_input_tokens":5,"output_tokens":1}}}

      event: content_block_start
      data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

      event: ping
      data: {"type": "ping"}

      event: content_block_delta
      data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me check. Ünïcödé"}}

      event: content_block_stop
      data: {"type":"content_block_stop","index":0}

      event: content_block_start
      data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_9","name":"weather","input":{}}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": "}}

      event: content_block_delta
      data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\\"Paris\\"}"}}

      event: content_block_stop
      data: {"type":"content_block_stop","index":1}

      event: message_delta
      data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":42}}

      event: message_stop
      data: {"type":"message_stop"}

      """;

  @Test
  void textAndToolDeltasBecomeChunksEndingWithDone() {
    List<String> events = translateByteByByte(TOOL_STREAM, true);

    assertEquals("[DONE]", events.get(events.size() - 1));
    List<JsonObject> chunks = events.subList(0, events.size() - 1).stream().map(JsonObject::new).toList();
    assertTrue(chunks.stream().allMatch(c -> "chatcmpl-msg_1".equals(c.getString("id"))
        && "chat.completion.chunk".equals(c.getString("object"))
        && "claude-sonnet-4-20250514".equals(c.getString("model"))), chunks.toString());
    assertEquals(new JsonObject("{\"role\":\"assistant\",\"content\":\"\"}"), delta(chunks.get(0)));
    assertEquals("Let me check. Ünïcödé", delta(chunks.get(1)).getString("content"));
    assertEquals(new JsonArray("[{\"id\":\"toolu_9\",\"type\":\"function\",\"function\":{\"name\":\"weather\","
        + "\"arguments\":\"\"},\"index\":0}]"), delta(chunks.get(2)).getJsonArray("tool_calls"));
    assertEquals("{\"city\": ", delta(chunks.get(3)).getJsonArray("tool_calls").getJsonObject(0)
        .getJsonObject("function").getString("arguments"));
    assertEquals("\"Paris\"}", delta(chunks.get(4)).getJsonArray("tool_calls").getJsonObject(0)
        .getJsonObject("function").getString("arguments"));
    assertEquals("tool_calls", chunks.get(5).getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
    JsonObject usageChunk = chunks.get(6);
    assertEquals(new JsonArray(), usageChunk.getJsonArray("choices"));
    assertEquals(new JsonObject("{\"prompt_tokens\":25,\"completion_tokens\":42,\"total_tokens\":67,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":5}}"), usageChunk.getJsonObject("usage"));
    assertEquals(7, chunks.size(), chunks.toString());
  }

  @Test
  void withoutIncludeUsageTheFinishChunkCarriesTheUsage() {
    List<String> events = translateByteByByte(TOOL_STREAM, false);
    JsonObject finish = new JsonObject(events.get(events.size() - 2));
    assertEquals(67, finish.getJsonObject("usage").getInteger("total_tokens"));
    assertNull(new JsonObject(events.get(0)).getValue("usage"));
  }

  @Test
  void anErrorEventBecomesOpenAisErrorEventAndEndsTheStreamWithoutDone() {
    String stream = TOOL_STREAM.substring(0, TOOL_STREAM.indexOf("event: content_block_stop"))
        + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"
        + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    List<String> events = translateByteByByte(stream, false);
    JsonObject last = new JsonObject(events.get(events.size() - 1));
    assertEquals(new JsonObject("{\"error\":{\"message\":\"Overloaded\",\"type\":\"server_error\",\"param\":null,"
        + "\"code\":\"overloaded\"}}"), last);
  }

  /** Fed one byte at a time, the worst a network can do, with CRLF line ends. */
  private static List<String> translateByteByByte(String anthropic, boolean includeUsage) {
    StreamTranslator translator = new StreamTranslator(includeUsage, 1_700_000_000L);
    byte[] bytes = anthropic.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    Buffer out = Buffer.buffer();
    for (byte b : bytes) {
      out.appendBuffer(translator.translate(Buffer.buffer(new byte[] {b})));
    }
    List<String> events = new ArrayList<>();
    for (String event : out.toString(StandardCharsets.UTF_8).split("\n\n")) {
      assertTrue(event.startsWith("data: "), event);
      events.add(event.substring(6));
    }
    return events;
  }

  private static JsonObject delta(JsonObject chunk) {
    return chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta");
  }
}
