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
  /** The longest choice in pieces: how many rounds a stream has. */
  private final int rounds;

  Completion(String id, long created, CompletionParams params, List<MockText.Generated> choices, int promptTokens) {
    this.id = id;
    this.created = created;
    this.params = params;
    this.choices = List.copyOf(choices);
    this.promptTokens = promptTokens;
    this.rounds = choices.stream().mapToInt(MockText.Generated::tokens).max().orElse(0);
  }

  /** {@code params.n()} answers from one seed, each cut at the caller's {@code max_tokens}. */
  static List<MockText.Generated> generate(long seed, CompletionParams params, MockOptions options) {
    List<MockText.Generated> generated = new ArrayList<>(params.n());
    for (int i = 0; i < params.n(); i++) {
      generated.add(MockText.generate(Hashes.seed(seed, i), options.completionTokens(), params.maxTokens()));
    }
    return generated;
  }

  /** The whole answer as one JSON document. */
  abstract JsonObject body();

  /** The chunk envelope around {@code choices}, without {@code usage}. */
  protected abstract JsonObject chunk(JsonArray choices);

  /** The streamed choice carrying one piece of text. */
  protected abstract JsonObject pieceChoice(int index, String piece);

  /** The streamed choice that says why a choice stopped. */
  protected abstract JsonObject finishChoice(int index, String reason);

  /** Token counts as both endpoints report them; chat adds its details. */
  protected JsonObject usage() {
    int completion = completionTokens();
    return new JsonObject()
        .put("prompt_tokens", promptTokens)
        .put("completion_tokens", completion)
        .put("total_tokens", promptTokens + completion);
  }

  /** The fields every body and chunk starts with: {@code id, object, created, model}. */
  protected JsonObject envelope(String object) {
    return new JsonObject()
        .put("id", id)
        .put("object", object)
        .put("created", created)
        .put("model", params.model());
  }

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

  int rounds() {
    return rounds;
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
