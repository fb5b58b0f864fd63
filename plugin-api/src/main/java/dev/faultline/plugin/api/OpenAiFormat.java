package dev.faultline.plugin.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/** OpenAI's wire format, shared by every provider that speaks it. */
public final class OpenAiFormat {

  /** The event that ends an OpenAI stream. */
  public static final String DONE = "[DONE]";

  private OpenAiFormat() {
  }

  /** {@code {"error":{"message","type","param","code"}}}, exactly the four fields OpenAI sends. */
  public static JsonObject errorBody(ApiError error) {
    return new JsonObject().put("error", new JsonObject()
        .put("message", error.message())
        .put("type", error.type())
        .put("param", error.param())
        .put("code", error.code()));
  }

  /** The whole error response: status, JSON body, and the error's own headers. */
  public static ProviderResponse errorResponse(ApiError error) {
    Headers headers = error.headers().with("content-type", "application/json");
    return ProviderResponse.of(error.status(), headers, errorBody(error).toBuffer());
  }

  /** The {@code usage} object of a response or of a streamed chunk, if it has one. */
  public static Optional<Usage> usage(JsonObject body) {
    Object value = body == null ? null : body.getValue("usage");
    if (!(value instanceof JsonObject usage)) {
      return Optional.empty();
    }
    long prompt = number(usage, "prompt_tokens");
    long completion = number(usage, "completion_tokens");
    long total = usage.containsKey("total_tokens") ? number(usage, "total_tokens") : prompt + completion;
    Object details = usage.getValue("prompt_tokens_details");
    long cached = details instanceof JsonObject d ? number(d, "cached_tokens") : 0;
    return Optional.of(new Usage(prompt, completion, total, cached));
  }

  /** One server-sent event carrying {@code data}, framed as OpenAI frames it. */
  public static Buffer sseEvent(String data) {
    return Buffer.buffer("data: " + data + "\n\n");
  }

  private static long number(JsonObject object, String key) {
    Object value = object.getValue(key);
    return value instanceof Number n ? n.longValue() : 0;
  }
}
