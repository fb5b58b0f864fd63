package dev.faultline.plugins.anthropic;

import dev.faultline.plugin.api.OpenAiFormat;
import dev.faultline.plugin.api.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * A Messages event stream as an OpenAI chat completion chunk stream, event by event: the first
 * chunk carries the role, text deltas become {@code content} deltas, a {@code tool_use} block
 * opens a tool call and its {@code input_json_delta}s stream its {@code arguments}, the
 * {@code message_delta} carries the finish reason, and {@code message_stop} ends with
 * {@code data: [DONE]}. A mid-stream {@code event: error} becomes OpenAI's error event and ends
 * the stream without {@code [DONE]}, as OpenAI fails a stream.
 *
 * <p>Usage: with {@code stream_options.include_usage} the caller gets OpenAI's usage chunk
 * ({@code choices: []}) before {@code [DONE]}; without it the finish chunk carries the
 * {@code usage} anyway, so Faultline's log and any client that looks find the real counts.
 */
final class StreamTranslator {

  private final boolean includeUsage;
  private final long created;
  private final SseReader reader = new SseReader(this::event);
  private final Map<Integer, Integer> toolCallOfBlock = new HashMap<>();
  private Buffer out;
  private String id = MessagesToChat.completionId(null);
  private String model;
  private JsonObject usage = new JsonObject();
  private boolean ended;

  StreamTranslator(boolean includeUsage, long created) {
    this.includeUsage = includeUsage;
    this.created = created;
  }

  /** The OpenAI bytes for this piece of the Anthropic stream; empty when it completes no chunk. */
  Buffer translate(Buffer chunk) {
    out = Buffer.buffer();
    if (!ended) {
      reader.feed(chunk);
    }
    return out;
  }

  private void event(String name, String data) {
    if (ended) {
      return;
    }
    JsonObject json = Json.object(data);
    String type = name != null ? name : Json.string(json, "type");
    if (json == null || type == null) {
      return;
    }
    switch (type) {
      case "message_start" -> start(Json.objectAt(json, "message"));
      case "content_block_start" -> blockStart(json);
      case "content_block_delta" -> blockDelta(json);
      case "message_delta" -> messageDelta(json);
      case "message_stop" -> stop();
      case "error" -> error(json);
      default -> {
        // ping, content_block_stop and events added later carry nothing for a chat completion.
      }
    }
  }

  private void start(JsonObject message) {
    if (message == null) {
      return;
    }
    id = MessagesToChat.completionId(Json.string(message, "id"));
    model = Json.string(message, "model");
    JsonObject started = Json.objectAt(message, "usage");
    if (started != null) {
      usage.mergeIn(started);
    }
    emit(chunk(new JsonObject().put("role", "assistant").put("content", ""), null));
  }

  private void blockStart(JsonObject event) {
    JsonObject block = Json.objectAt(event, "content_block");
    String type = Json.string(block, "type");
    if ("tool_use".equals(type)) {
      int index = toolCallOfBlock.size();
      toolCallOfBlock.put((int) Json.number(event, "index"), index);
      JsonObject call = MessagesToChat.toolCall(Json.string(block, "id"), Json.string(block, "name"), "")
          .put("index", index);
      emit(chunk(new JsonObject().put("tool_calls", JsonArray.of(call)), null));
    } else if ("text".equals(type)) {
      String text = Json.string(block, "text");
      if (text != null && !text.isEmpty()) {
        emit(chunk(new JsonObject().put("content", text), null));
      }
    }
  }

  private void blockDelta(JsonObject event) {
    JsonObject delta = Json.objectAt(event, "delta");
    String type = Json.string(delta, "type");
    if ("text_delta".equals(type)) {
      emit(chunk(new JsonObject().put("content", Json.string(delta, "text")), null));
    } else if ("input_json_delta".equals(type)) {
      Integer call = toolCallOfBlock.get((int) Json.number(event, "index"));
      if (call != null) {
        JsonObject arguments = new JsonObject().put("index", call)
            .put("function", new JsonObject().put("arguments", Json.string(delta, "partial_json")));
        emit(chunk(new JsonObject().put("tool_calls", JsonArray.of(arguments)), null));
      }
    }
    // thinking_delta and signature_delta: a chat completion has no place for them.
  }

  private void messageDelta(JsonObject event) {
    JsonObject counts = Json.objectAt(event, "usage");
    if (counts != null) {
      // The delta's counts are cumulative; the ones it leaves out keep message_start's.
      counts.forEach(field -> {
        if (field.getValue() instanceof Number) {
          usage.put(field.getKey(), field.getValue());
        }
      });
    }
    String finish = MessagesToChat.finishReason(Json.string(Json.objectAt(event, "delta"), "stop_reason"));
    JsonObject last = chunk(new JsonObject(), finish);
    if (!includeUsage) {
      last.put("usage", openAiUsage());
    }
    emit(last);
  }

  private void stop() {
    if (includeUsage) {
      emit(base().put("choices", new JsonArray()).put("usage", openAiUsage()));
    }
    out.appendBuffer(OpenAiFormat.sseEvent(OpenAiFormat.DONE));
    ended = true;
  }

  private void error(JsonObject event) {
    AnthropicError error = AnthropicError.of(event);
    if (error == null) {
      error = new AnthropicError("api_error", "Anthropic ended the stream with an unreadable error: " + event.encode());
    }
    out.appendBuffer(OpenAiFormat.sseEvent(OpenAiFormat.errorBody(ErrorTranslation.streamed(error)).encode()));
    ended = true;
  }

  private JsonObject openAiUsage() {
    Usage counted = AnthropicUsage.from(usage);
    return AnthropicUsage.openAi(counted);
  }

  private JsonObject chunk(JsonObject delta, String finishReason) {
    JsonObject chunk = base().put("choices", JsonArray.of(new JsonObject()
        .put("index", 0).put("delta", delta).put("logprobs", null).put("finish_reason", finishReason)));
    if (includeUsage) {
      chunk.put("usage", null);
    }
    return chunk;
  }

  private JsonObject base() {
    return new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created)
        .put("model", model);
  }

  private void emit(JsonObject chunk) {
    out.appendBuffer(OpenAiFormat.sseEvent(chunk.encode()));
  }
}
