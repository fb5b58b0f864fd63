package dev.faultline.proxy.request;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * The few top-level members of a whole JSON answer that describe it ({@code model}, {@code usage},
 * {@code error}), read from its body when first asked for. A step that serves the same body again
 * and again (a cache hit) hands them on with the body ({@link Exchange#answerFacts}), so they are
 * read once for all its requests rather than by the log for each.
 */
public final class AnswerFacts {

  /**
   * Largest body read whole (a chat completion is a few KB); a larger one (a batch of embeddings)
   * is read as it streams past, holding only those members.
   */
  public static final int WHOLE_BYTES = 64 * 1024;

  private final Buffer body;
  /** Null until first asked for; read again by a thread that finds it still null, to the same members. */
  private volatile JsonObject members;

  /**
   * @param body    the answer they are read from; the log takes them only when this very buffer went out
   * @param members what was read of it already, or null to read it when first asked
   */
  public AnswerFacts(Buffer body, JsonObject members) {
    this.body = body;
    this.members = members;
  }

  /** Those of {@code body}, read when first asked for. */
  public static AnswerFacts of(Buffer body) {
    return new AnswerFacts(body, null);
  }

  public Buffer body() {
    return body;
  }

  /**
   * {@code {"model": "...", "usage": {...}, "error": {...}}}, each only when present; empty when the
   * body is not a JSON object. Shared by everyone who asks: read it, never change it.
   */
  public JsonObject members() {
    JsonObject read = members;
    if (read == null) {
      read = read(body);
      members = read;
    }
    return read;
  }

  /**
   * With Jackson's tokenizer: everything else is skipped without building a tree, and the two
   * small objects are read as they come ({@link JsonReader}). The answer a proxy relays most is a
   * chat completion whose {@code choices} the log never reads; a full parse of it was the log's
   * largest cost.
   */
  private static JsonObject read(Buffer body) {
    JsonObject facts = new JsonObject();
    if (body.length() == 0) {
      return facts;
    }
    try (JsonParser parser = JsonReader.parser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return facts;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == JsonToken.VALUE_STRING && "model".equals(name)) {
          facts.put(name, parser.getText());
        } else if (value == JsonToken.START_OBJECT && ("usage".equals(name) || "error".equals(name))) {
          facts.put(name, JsonReader.object(parser));
        } else {
          parser.skipChildren();
        }
      }
      return facts;
    } catch (IOException | DecodeException e) {
      // Not JSON after all (or cut short): nothing to read, as for any other body.
      return new JsonObject();
    }
  }
}
