package dev.faultline.anthropic;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** What Anthropic's Messages API answers, as its documentation shows it, for MockServer to play. */
final class AnthropicUpstream {

  static final String MODEL = "claude-sonnet-4-20250514";

  private AnthropicUpstream() {
  }

  static JsonObject usage(int input, int output, int cacheRead, int cacheCreation) {
    return new JsonObject().put("input_tokens", input).put("cache_creation_input_tokens", cacheCreation)
        .put("cache_read_input_tokens", cacheRead).put("output_tokens", output);
  }

  static String message(String text, String stopReason, JsonObject usage) {
    return message(JsonArray.of(new JsonObject().put("type", "text").put("text", text)), stopReason, usage);
  }

  static String message(JsonArray content, String stopReason, JsonObject usage) {
    return new JsonObject().put("id", "msg_01XFDUDYJgAACzvnptvVoYEL").put("type", "message").put("role", "assistant")
        .put("model", MODEL).put("content", content).put("stop_reason", stopReason).put("stop_sequence", null)
        .put("usage", usage).encode();
  }

  static String error(String type, String message) {
    return new JsonObject().put("type", "error").put("error", new JsonObject().put("type", type).put("message", message))
        .put("request_id", "req_011CSHoEeqs5C35K2UUqR7Fy").encode();
  }

  /** A streamed answer of {@code texts} (one delta each), as Anthropic's documentation shows one. */
  static String textStream(String... texts) {
    StringBuilder sse = new StringBuilder();
    event(sse, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_stream1\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"content\":[],\"model\":\"" + MODEL + "\",\"stop_reason\":null,\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,"
        + "\"output_tokens\":1}}}");
    event(sse, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\","
        + "\"text\":\"\"}}");
    event(sse, "ping", "{\"type\": \"ping\"}");
    for (String text : texts) {
      event(sse, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
          + "\"text\":" + io.vertx.core.json.Json.encode(text) + "}}");
    }
    event(sse, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    event(sse, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}");
    event(sse, "message_stop", "{\"type\":\"message_stop\"}");
    return sse.toString();
  }

  /** A streamed tool call: the tool's input arrives in two {@code input_json_delta}s. */
  static String toolStream() {
    StringBuilder sse = new StringBuilder();
    event(sse, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_tool1\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"content\":[],\"model\":\"" + MODEL + "\",\"stop_reason\":null,"
        + "\"usage\":{\"input_tokens\":400,\"output_tokens\":1}}}");
    event(sse, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":"
        + "\"tool_use\",\"id\":\"toolu_01T1x1fJ34qAmk2tNTrN7Up6\",\"name\":\"get_weather\",\"input\":{}}}");
    event(sse, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
        + "\"input_json_delta\",\"partial_json\":\"{\\\"location\\\": \\\"San Fra\"}}");
    event(sse, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":"
        + "\"input_json_delta\",\"partial_json\":\"ncisco, CA\\\"}\"}}");
    event(sse, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    event(sse, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":89}}");
    event(sse, "message_stop", "{\"type\":\"message_stop\"}");
    return sse.toString();
  }

  static void event(StringBuilder sse, String name, String data) {
    sse.append("event: ").append(name).append('\n').append("data: ").append(data).append("\n\n");
  }
}
