package dev.faultline.logs;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.JsonEvent;
import io.vertx.core.parsetools.JsonEventType;
import io.vertx.core.parsetools.JsonParser;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads the few top-level members of a JSON response the log needs ({@code usage},
 * {@code error}, {@code model}) while the body streams past, with a streaming parser: a large
 * answer (a batch of embeddings) is never held, only those small members are. A whole body
 * held anyway is read at once instead ({@link dev.faultline.proxy.request.AnswerFacts}).
 */
final class JsonFacts {

  private final JsonParser parser = JsonParser.newParser();
  private final Deque<Object> capture = new ArrayDeque<>();
  private int depth;
  private String capturing;
  private boolean failed;
  private JsonObject usage;
  private JsonObject error;
  private String model;

  JsonFacts() {
    parser.handler(this::event).exceptionHandler(e -> failed = true);
  }

  void feed(Buffer chunk) {
    if (!failed) {
      parser.handle(chunk);
    }
  }

  /** The body reduced to the members read so far, e.g. {@code {"usage": {...}, "model": "..."}}. */
  JsonObject facts() {
    JsonObject facts = new JsonObject();
    if (usage != null) {
      facts.put("usage", usage);
    }
    if (error != null) {
      facts.put("error", error);
    }
    if (model != null) {
      facts.put("model", model);
    }
    return facts;
  }

  private void event(JsonEvent event) {
    switch (event.type()) {
      case START_OBJECT, START_ARRAY -> {
        depth++;
        Object container = event.type() == JsonEventType.START_OBJECT
            ? new JsonObject() : new JsonArray();
        if (capturing != null) {
          add(event.fieldName(), container);
          capture.push(container);
        } else if (depth == 2 && container instanceof JsonObject
            && ("usage".equals(event.fieldName()) || "error".equals(event.fieldName()))) {
          capturing = event.fieldName();
          capture.push(container);
        }
      }
      case END_OBJECT, END_ARRAY -> {
        depth--;
        if (capturing != null) {
          Object done = capture.pop();
          if (capture.isEmpty()) {
            if ("usage".equals(capturing)) {
              usage = (JsonObject) done;
            } else {
              error = (JsonObject) done;
            }
            capturing = null;
          }
        }
      }
      case VALUE -> {
        if (capturing != null) {
          add(event.fieldName(), event.value());
        } else if (depth == 1 && "model".equals(event.fieldName()) && event.value() instanceof String name) {
          model = name;
        }
      }
    }
  }

  private void add(String field, Object value) {
    Object parent = capture.peek();
    if (parent instanceof JsonObject object) {
      object.put(field, value);
    } else {
      ((JsonArray) parent).add(value);
    }
  }
}
