package dev.faultline.plugin.api;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * OpenAI's Responses API ({@code /v1/responses}): HTTP errors and rate-limit headers as Chat
 * Completions sends them; a stream of named events ({@code response.created} …
 * {@code response.output_text.delta} … {@code response.completed}), each with its
 * {@code sequence_number}, that fails with a {@code response.failed} event carrying the response
 * with {@code status: failed} and its {@code error}; usage as {@code input_tokens} /
 * {@code output_tokens}.
 */
final class ResponsesDialect extends OpenAiDialect {

  static final String COMPLETED = "response.completed";
  static final String FAILED = "response.failed";

  @Override
  public String id() {
    return "openai-responses";
  }

  @Override
  public StreamFailure streamFailure(ApiError error) {
    return new StreamFailure() {
      private long nextSequence;
      private JsonObject response;

      @Override
      public void seen(SseEvent event) {
        JsonObject json = event.json();
        if (json == null) {
          return;
        }
        if (json.getValue("sequence_number") instanceof Number n) {
          nextSequence = n.longValue() + 1;
        }
        if (json.getValue("response") instanceof JsonObject snapshot) {
          response = snapshot;
        }
      }

      @Override
      public List<SseEvent> events() {
        JsonObject failed = (response == null ? new JsonObject().put("object", "response") : response.copy())
            .put("status", "failed")
            .put("error", new JsonObject()
                .put("code", error.code() != null ? error.code() : error.type())
                .put("message", error.message()));
        JsonObject data = new JsonObject().put("type", FAILED).put("sequence_number", nextSequence)
            .put("response", failed);
        return List.of(new SseEvent(FAILED, data.encode(), null));
      }
    };
  }

  @Override
  public boolean endsStream(SseEvent event) {
    if (COMPLETED.equals(event.event())) {
      return true;
    }
    JsonObject json = event.event() == null ? event.json() : null;
    return json != null && COMPLETED.equals(json.getValue("type"));
  }

  @Override
  public Optional<Usage> usage(JsonObject bodyOrEvent) {
    return UsageFields.inputOutput(UsageFields.nested(bodyOrEvent, "response"));
  }
}
