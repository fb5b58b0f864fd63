package dev.faultline.proxy.request;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;

/**
 * JSON bodies on the proxies' hot path, read with Jackson's tokenizer straight into
 * {@link JsonObject}s. {@code Buffer#toJsonValue} goes through Jackson's data binding and an input
 * stream over the buffer, whose set-up cost more per request than the tokens of a chat completion;
 * this reads the bytes directly. Values come out as the data binding made them: strings, Integer,
 * Long or BigInteger, Double, Boolean, null, objects and arrays.
 */
public final class JsonReader {

  private static final JsonFactory JSON = new JsonFactory();

  private JsonReader() {
  }

  /** A tokenizer over the body's bytes. */
  public static JsonParser parser(Buffer body) throws IOException {
    return JSON.createParser(body.getBytes());
  }

  /** The body's one JSON value; anything after it, or no value at all, is not JSON. */
  public static Object value(Buffer body) {
    try (JsonParser parser = parser(body)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new DecodeException("no JSON value");
      }
      Object value = value(parser, first);
      if (parser.nextToken() != null) {
        throw new DecodeException("content after the JSON value");
      }
      return value;
    } catch (IOException e) {
      throw new DecodeException(e.getMessage(), e);
    }
  }

  /** The object whose start the parser is on, read to its end. */
  public static JsonObject object(JsonParser parser) throws IOException {
    JsonObject object = new JsonObject();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      object.put(name, value(parser, parser.nextToken()));
    }
    return object;
  }

  private static Object value(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case START_OBJECT -> object(parser);
      case START_ARRAY -> {
        JsonArray array = new JsonArray();
        for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
          array.add(value(parser, next));
        }
        yield array;
      }
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new DecodeException("unexpected " + token);
    };
  }
}
