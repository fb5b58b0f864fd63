package dev.faultline.plugins.mock;

import dev.faultline.plugin.api.OpenAiFormat;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A generated answer to a chat or legacy completion, ready to be sent whole or as an event
 * stream. Subclasses supply the JSON shapes; the order of events lives here.
 *
 * <p>A stream is cut into rounds: round {@code r} carries the {@code r}-th piece of every choice
 * still talking, so pacing waits once per round however many choices there are.
 */
abstract class Completion {

  protected final String id;
  protected final long created;
  protected final CompletionParams params;
  protected final List<MockText.Generated> choices;
  protected final int promptTokens;

  Completion(String id, long created, CompletionParams params, List<MockText.Generated> choices, int promptTokens) {
    this.id = id;
    this.created = created;
    this.params = params;
    this.choices = List.copyOf(choices);
    this.promptTokens = promptTokens;
  }

  /** The whole answer as one JSON document. */
  abstract JsonObject body();

  /** The chunk envelope around {@code choices}, without {@code usage}. */
  protected abstract JsonObject chunk(JsonArray choices);

  /** The streamed choice carrying one piece of text. */
  protected abstract JsonObject pieceChoice(int index, String piece);

  /** The streamed choice that says why a choice stopped. */
  protected abstract JsonObject finishChoice(int index, String reason);

  protected abstract JsonObject usage();

  /** Chunks sent before the first token; chat announces the assistant role there. */
  protected List<JsonObject> openingChoices() {
    return List.of();
  }

  boolean stream() {
    return params.stream();
  }

  int completionTokens() {
    return choices.stream().mapToInt(MockText.Generated::tokens).sum();
  }

  /** The longest choice in pieces: how many rounds a stream has. */
  int rounds() {
    return choices.stream().mapToInt(MockText.Generated::tokens).max().orElse(0);
  }

  List<Buffer> opening() {
    return openingChoices().stream().map(this::event).toList();
  }

  List<Buffer> round(int r) {
    List<Buffer> events = new ArrayList<>(choices.size());
    for (int i = 0; i < choices.size(); i++) {
      List<String> pieces = choices.get(i).pieces();
      if (r < pieces.size()) {
        events.add(event(pieceChoice(i, pieces.get(r))));
      }
    }
    return events;
  }

  List<Buffer> closing() {
    List<Buffer> events = new ArrayList<>(choices.size() + 2);
    for (int i = 0; i < choices.size(); i++) {
      events.add(event(finishChoice(i, choices.get(i).finishReason())));
    }
    if (params.includeUsage()) {
      events.add(OpenAiFormat.sseEvent(chunk(new JsonArray()).put("usage", usage()).encode()));
    }
    events.add(OpenAiFormat.sseEvent(OpenAiFormat.DONE));
    return events;
  }

  /** One choice per chunk, as OpenAI streams several choices. */
  private Buffer event(JsonObject choice) {
    JsonObject chunk = chunk(new JsonArray().add(choice));
    if (params.includeUsage()) {
      chunk.putNull("usage");
    }
    return OpenAiFormat.sseEvent(chunk.encode());
  }
}
