package dev.faultline.proxy.request;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * The few top-level members of a whole JSON answer that describe it ({@code model}, {@code usage},
 * {@code error}), read from {@code body}. A step that serves the same body again and again (a
 * cache hit) reads them once and hands them on with the body ({@link Exchange#answerFacts}), so the
 * log does not read them again for each request.
 *
 * @param body    the answer they were read from; the log takes them only when this very buffer went out
 * @param members {@code {"model": "...", "usage": {...}, "error": {...}}}, each only when present;
 *                empty when the body is not a JSON object. Read it, never change it.
 */
public record AnswerFacts(Buffer body, JsonObject members) {

  /**
   * Reads them with Jackson's tokenizer: everything else is skipped without building a tree, and
   * the two small objects are read as they come ({@link JsonReader}). The answer a proxy relays
   * most is a chat completion whose {@code choices} the log never reads; a full parse of it was
   * the log's largest cost.
   */
  public static AnswerFacts of(Buffer body) {
    return new AnswerFacts(body, members(body));
  }

  private static JsonObject members(Buffer body) {
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
