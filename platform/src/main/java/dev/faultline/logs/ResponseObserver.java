package dev.faultline.logs;

import com.knuddels.jtokkit.api.EncodingType;
import dev.faultline.plugin.api.Provider;
import dev.faultline.plugin.api.ProxyRequest;
import dev.faultline.plugin.api.Usage;
import dev.faultline.proxy.request.AnswerFacts;
import dev.faultline.proxy.request.ExchangeListener;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches one response body go to the caller and keeps what its log entry needs: the usage (from
 * a JSON body, or from the streamed chunk that carries it), the model that answered, the error
 * type of an error body, the first bytes of the body when the proxy logs bodies, and, for a stream
 * that may end without usage, the generated text, counted in segments so it is never held whole.
 */
final class ResponseObserver implements ExchangeListener.BodyObserver {

  /** Streamed text is handed to the tokenizer in pieces of this many chars. */
  private static final int SEGMENT_CHARS = 16_384;
  /** Provider keys as error messages quote them: a prefix such as sk- and a long run of key characters or stars. */
  private static final java.util.regex.Pattern KEY_LIKE =
      java.util.regex.Pattern.compile("\\b(sk|rk|pk|flt)[-_][A-Za-z0-9_*\\-]{6,}");

  private final Provider provider;
  /** The request answered: its dialect says where usage is written. */
  private final ProxyRequest request;
  private final boolean json;
  private final SseEvents events;
  private final Buffer captured;
  private final int captureLimit;
  private final EncodingType encoding;
  private final TokenEstimator estimator;
  private final List<Future<Long>> countedSegments = new ArrayList<>();
  /** The streamed text not yet counted, or null when there is nothing to estimate. */
  private final StringBuilder text;
  /** What the step that made the answer already read of its body (a cache hit's), or null. */
  private final AnswerFacts known;
  /** Whether the body went out as the very buffer {@link #known} was read from, and only it. */
  private boolean knownSent;
  private boolean sawChunk;
  private Buffer jsonBody;
  private JsonFacts streamingJson;
  private JsonObject facts;
  private Usage usage;
  private String model;
  private String errorType;

  /**
   * @param contentType  the response's content type, which says how to read it
   * @param captureBytes how many leading body bytes to keep (0: none)
   * @param encoding     the tokenizer to count streamed text with, or null for no estimate
   * @param known        what was read of the answer's body before it went out (a cache hit's), or null
   */
  ResponseObserver(Provider provider, ProxyRequest request, String contentType, int captureBytes,
                   EncodingType encoding, TokenEstimator estimator, AnswerFacts known) {
    String type = contentType == null ? "" : contentType.toLowerCase();
    this.provider = provider;
    this.request = request;
    this.events = type.startsWith("text/event-stream") ? new SseEvents(this::event) : null;
    this.json = events == null && type.contains("json");
    this.jsonBody = json ? Buffer.buffer() : null;
    this.captureLimit = captureBytes;
    this.captured = captureBytes > 0 ? Buffer.buffer(Math.min(captureBytes, 4096)) : null;
    this.encoding = events != null ? encoding : null;
    this.estimator = estimator;
    this.text = this.encoding != null ? new StringBuilder() : null;
    this.known = json ? known : null;
  }

  @Override
  public void chunk(Buffer chunk) {
    // A few bytes past the limit tell whether the limit cuts a character.
    if (captured != null && captured.length() < captureLimit + 4) {
      captured.appendBuffer(chunk, 0, Math.min(chunk.length(), captureLimit + 4 - captured.length()));
    }
    boolean first = !sawChunk;
    sawChunk = true;
    if (first && known != null && chunk == known.body()) {
      knownSent = true;
      return;
    }
    if (knownSent) {
      // More than that buffer went out (a step after the cache added to it): read what did.
      knownSent = false;
      json(known.body());
    }
    if (events != null) {
      events.feed(chunk);
    } else {
      json(chunk);
    }
  }

  private void json(Buffer chunk) {
    if (streamingJson != null) {
      streamingJson.feed(chunk);
    } else if (json && jsonBody.length() + chunk.length() <= AnswerFacts.WHOLE_BYTES) {
      jsonBody.appendBuffer(chunk);
    } else if (json) {
      streamingJson = new JsonFacts();
      streamingJson.feed(jsonBody);
      streamingJson.feed(chunk);
      jsonBody = null;
    }
  }

  /** The usage the upstream reported, or null. */
  Usage usage() {
    if (usage == null && json && jsonFacts().getValue("usage") instanceof JsonObject) {
      usage = provider.usage(request, jsonFacts()).orElse(null);
    }
    return usage;
  }

  /** The model named in the response (often a dated snapshot of the one asked for), or null. */
  String model() {
    if (json) {
      return jsonFacts().getValue("model") instanceof String name ? name : null;
    }
    return model;
  }

  /**
   * {@code error.code}, else {@code error.type}, of an error body answered with {@code status}, or
   * of the error event that ended a stream (its status was a 200: the error came mid-way); null
   * when there is none.
   */
  String errorType(int status) {
    if (events != null) {
      return errorType;
    }
    return json && status >= 400 ? errorType(jsonFacts().getValue("error")) : null;
  }

  /**
   * {@code error.message} of an error body answered with {@code status}, at most 500 chars, with
   * anything shaped like an API key masked (OpenAI's 401 quotes part of the key it refused); null
   * when there is none. A stream's error event is named by its type only.
   */
  String errorMessage(int status) {
    if (!json || status < 400 || !(jsonFacts().getValue("error") instanceof JsonObject error)
        || !(error.getValue("message") instanceof String message)) {
      return null;
    }
    String masked = KEY_LIKE.matcher(message).replaceAll("[key]");
    return masked.length() <= 500 ? masked : masked.substring(0, 500) + "…";
  }

  /** The top-level members of a JSON body that the log reads; empty when it was not JSON. */
  private JsonObject jsonFacts() {
    if (facts == null) {
      // A copy of the known ones: every hit of the entry shares them, and a provider plugin reads this one.
      facts = knownSent ? known.members().copy() : streamingJson != null ? streamingJson.facts()
          : AnswerFacts.of(jsonBody).members();
    }
    return facts;
  }

  /** The first bytes of the body as text, or null when bodies are not kept. */
  String capturedBody() {
    return captured == null ? null : Bodies.prefix(captured, captureLimit);
  }

  /** Whether the generated text was followed, so that its tokens can be counted. */
  boolean canEstimate() {
    return encoding != null;
  }

  /**
   * The usage counted here: the prompt of {@code request}, the streamed text as completion, both
   * on workers. Only when {@link #canEstimate()}.
   */
  Future<Usage> estimatedUsage(JsonObject request) {
    List<Future<Long>> counts = new ArrayList<>(countedSegments);
    if (text.length() > 0) {
      counts.add(estimator.count(encoding, text.toString()));
    }
    counts.add(0, estimator.promptTokens(encoding, request));
    return Future.all(counts).map(all -> {
      long prompt = all.<Long>resultAt(0);
      long completion = 0;
      for (int i = 1; i < all.size(); i++) {
        completion += all.<Long>resultAt(i);
      }
      return new Usage(prompt, completion, prompt + completion, 0);
    });
  }

  private void event(String data) {
    if (data.equals("[DONE]") || data.isEmpty() || data.charAt(0) != '{') {
      return;
    }
    JsonObject chunk;
    try {
      chunk = new JsonObject(data);
    } catch (DecodeException e) {
      return;
    }
    // Responses and Anthropic streams carry usage (and the model) inside the response or message
    // they announce; Anthropic's message_delta then counts only the output, so the input stays.
    JsonObject inner = chunk.getValue("response") instanceof JsonObject r ? r
        : chunk.getValue("message") instanceof JsonObject m ? m : null;
    if (chunk.getValue("usage") instanceof JsonObject || inner != null && inner.getValue("usage") instanceof JsonObject) {
      provider.usage(request, chunk).ifPresent(found -> usage = completed(usage, found));
    }
    if (chunk.getValue("model") instanceof String name) {
      model = name;
    } else if (inner != null && inner.getValue("model") instanceof String name) {
      model = name;
    }
    String error = errorType(chunk.getValue("error"));
    if (error == null && inner != null) {
      error = errorType(inner.getValue("error"));
    }
    if (error != null) {
      errorType = error;
    }
    if (text != null && chunk.getValue("choices") instanceof JsonArray choices) {
      choices.forEach(this::collectText);
      if (text.length() >= SEGMENT_CHARS) {
        countedSegments.add(estimator.count(encoding, text.toString()));
        text.setLength(0);
      }
    }
  }

  /** Generated text of one streamed choice: chat deltas (content, refusal, tool arguments) or completion text. */
  private void collectText(Object item) {
    if (!(item instanceof JsonObject choice)) {
      return;
    }
    append(choice.getValue("text"));
    if (choice.getValue("delta") instanceof JsonObject delta) {
      append(delta.getValue("content"));
      append(delta.getValue("refusal"));
      if (delta.getValue("tool_calls") instanceof JsonArray calls) {
        for (Object call : calls) {
          if (call instanceof JsonObject c && c.getValue("function") instanceof JsonObject function) {
            append(function.getValue("name"));
            append(function.getValue("arguments"));
          }
        }
      }
    }
  }

  /**
   * A later usage report over an earlier one: a stream that reports in parts leaves at 0 what an
   * earlier part already counted (one report, as OpenAI sends, is taken as it is).
   */
  private static Usage completed(Usage earlier, Usage later) {
    if (earlier == null) {
      return later;
    }
    long prompt = later.promptTokens() > 0 ? later.promptTokens() : earlier.promptTokens();
    long completion = later.completionTokens() > 0 ? later.completionTokens() : earlier.completionTokens();
    long cached = later.cachedPromptTokens() > 0 ? later.cachedPromptTokens() : earlier.cachedPromptTokens();
    return new Usage(prompt, completion, prompt + completion, cached);
  }

  private void append(Object value) {
    if (value instanceof String s) {
      text.append(s);
    }
  }

  private static String errorType(Object error) {
    if (!(error instanceof JsonObject e)) {
      return null;
    }
    Object code = e.getValue("code");
    Object type = e.getValue("type");
    return code instanceof String c && !c.isEmpty() ? c : type instanceof String t ? t : null;
  }
}
