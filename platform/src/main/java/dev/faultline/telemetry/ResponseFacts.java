package dev.faultline.telemetry;

import dev.faultline.plugin.api.Provider;
import dev.faultline.plugin.api.ProxyRequest;
import dev.faultline.plugin.api.SseEvent;
import dev.faultline.plugin.api.Usage;
import dev.faultline.proxy.request.ExchangeListener;
import dev.faultline.sse.SseParser;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads what a span reports from one response body as it goes to the caller: the model that
 * answered, why it stopped, and the usage. Keeps only these facts, never the text: a JSON body is
 * held until it ends (up to {@link #MAX_JSON_BYTES}), a stream is read event by event.
 */
final class ResponseFacts implements ExchangeListener.BodyObserver {

  /** A larger JSON answer (a big embeddings batch) goes without response facts rather than held. */
  static final int MAX_JSON_BYTES = 1 << 20;

  private final Provider provider;
  private final ProxyRequest request;
  private final SseParser events;
  private Buffer json;
  private String model;
  private Usage usage;
  private final Set<String> finishReasons = new LinkedHashSet<>();

  ResponseFacts(Provider provider, ProxyRequest request, String contentType) {
    this.provider = provider;
    this.request = request;
    String type = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
    this.events = type.startsWith("text/event-stream") ? new SseParser() : null;
    this.json = events == null && type.contains("json") ? Buffer.buffer() : null;
  }

  @Override
  public void chunk(Buffer chunk) {
    if (events != null) {
      events.feed(chunk).forEach(block -> read(block.event()));
    } else if (json != null) {
      json = json.length() + chunk.length() > MAX_JSON_BYTES ? null : json.appendBuffer(chunk);
    }
  }

  String model() {
    finish();
    return model;
  }

  Usage usage() {
    finish();
    return usage;
  }

  List<String> finishReasons() {
    finish();
    return new ArrayList<>(finishReasons);
  }

  private boolean finished;

  /** Reads what is left: the whole JSON body, or a last event without its blank line. */
  private void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (events != null) {
      events.finish().forEach(block -> read(block.event()));
    } else if (json != null && json.length() > 0) {
      try {
        facts(new JsonObject(json));
      } catch (RuntimeException notJson) {
        // An error page or a cut body: the span goes without response facts.
      }
      json = null;
    }
  }

  private void read(SseEvent event) {
    if (event == null || event.isDone()) {
      return;
    }
    JsonObject data = event.json();
    if (data != null) {
      facts(data);
    }
  }

  /** From a whole body or one streamed event, in the OpenAI, Responses or Anthropic shape. */
  private void facts(JsonObject body) {
    JsonObject inner = body.getValue("response") instanceof JsonObject r ? r
        : body.getValue("message") instanceof JsonObject m ? m : body;
    if (inner.getValue("model") instanceof String m && !m.isEmpty()) {
      model = m;
    }
    if (body.getValue("choices") instanceof JsonArray choices) {
      for (Object choice : choices) {
        if (choice instanceof JsonObject c && c.getValue("finish_reason") instanceof String reason) {
          finishReasons.add(reason);
        }
      }
    }
    stopReason(inner);
    if (body.getValue("delta") instanceof JsonObject delta) {
      stopReason(delta);
    }
    try {
      provider.usage(request, body).ifPresent(found -> usage = found);
    } catch (RuntimeException e) {
      // A provider that cannot read this event's usage leaves what an earlier one said.
    }
  }

  private void stopReason(JsonObject object) {
    if (object.getValue("stop_reason") instanceof String reason) {
      finishReasons.add(reason);
    }
  }
}
