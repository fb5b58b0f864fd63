package com.example.faultline.acme;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.BufferStream;
import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.plugin.api.ProviderSession;
import dev.faultline.plugin.api.ProxyRequest;
import dev.faultline.plugin.api.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Serves one proxy: echoes the prompt, whole or as a stream of one event per word. */
final class AcmeSession implements ProviderSession {

  static final String PATH = "/v1/generate";

  private final String prefix;

  AcmeSession(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public Future<ProviderResponse> forward(ProxyRequest request) {
    if (!PATH.equals(request.path()) || !"POST".equals(request.method())) {
      return Future.succeededFuture(refuse(request, 404, "No route " + request.method() + " " + request.path() + "."));
    }
    if (request.json() == null || !(request.json().getValue("prompt") instanceof String prompt)) {
      return Future.succeededFuture(refuse(request, 400, "prompt: a string is required."));
    }
    String text = prefix + prompt;
    String model = request.model() == null ? "acme-1" : request.model();
    JsonObject usage = new JsonObject().put("input_units", words(prompt)).put("output_units", words(text));
    if (request.stream()) {
      return Future.succeededFuture(stream(text, usage));
    }
    JsonObject answer = new JsonObject().put("id", "gen_" + request.id()).put("model", model).put("text", text)
        .put("usage", usage);
    return Future.succeededFuture(ProviderResponse.of(200, Headers.of("content-type", "application/json",
        AcmeDialect.INSTANCE.requestIdHeader(), request.id()), answer.toBuffer()));
  }

  /** One {@code token} event per word, then {@code done} with the usage; the host relays it as it goes. */
  private static ProviderResponse stream(String text, JsonObject usage) {
    BufferStream body = new BufferStream();
    for (String word : text.split("(?<= )")) {
      body.write(new SseEvent("token", new JsonObject().put("text", word).encode(), null).toBuffer());
    }
    body.write(new SseEvent(AcmeDialect.DONE, new JsonObject().put("usage", usage).encode(), null).toBuffer());
    body.end();
    return new ProviderResponse(200, Headers.of("content-type", "text/event-stream"), body);
  }

  private static ProviderResponse refuse(ProxyRequest request, int status, String message) {
    AcmeDialect dialect = AcmeDialect.INSTANCE;
    ApiError error = new ApiError(status, dialect.errorType(status), null, message, null, Headers.empty());
    return dialect.errorResponse(error, request.id());
  }

  private static int words(String text) {
    String trimmed = text.trim();
    return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
  }
}
