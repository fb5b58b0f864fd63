package dev.faultline.plugins.mock;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.BufferStream;
import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.Dialect;
import dev.faultline.plugin.api.Dialects;
import dev.faultline.plugin.api.OpenAiFormat;
import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.plugin.api.ProviderSession;
import dev.faultline.plugin.api.ProxyRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One proxy's mock: routes a request to its endpoint and delivers the answer, paced when the
 * proxy's options ask for it. Lives on the proxy's event loop, so its state needs no locks.
 */
final class MockSession implements ProviderSession {

  static final String JSON = "application/json";
  static final String EVENT_STREAM = "text/event-stream; charset=utf-8";
  private static final String MODELS = "/v1/models";

  private final Vertx vertx;
  private final MockOptions options;
  private final Set<Playback> playing = new HashSet<>();
  private final Map<Long, Promise<ProviderResponse>> waiting = new HashMap<>();
  /** Joins the request id in completion ids, so they stay unique even if a request id repeats. */
  private long calls;
  private boolean closed;

  MockSession(Vertx vertx, MockOptions options) {
    this.vertx = vertx;
    this.options = options;
  }

  @Override
  public Future<ProviderResponse> forward(ProxyRequest request) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the mock session is closed"));
    }
    try {
      return route(request);
    } catch (BadRequest e) {
      return Future.succeededFuture(error(request, e.error()));
    } catch (RuntimeException e) {
      // A bug here, not the caller's fault: the host answers 502 as for a broken upstream.
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<Void> close() {
    closed = true;
    IllegalStateException stopped = new IllegalStateException("the proxy stopped before the mock answered");
    List.copyOf(playing).forEach(playback -> playback.cancel(stopped));
    playing.clear();
    waiting.forEach((timer, promise) -> {
      vertx.cancelTimer(timer);
      promise.tryFail(stopped);
    });
    waiting.clear();
    return Future.succeededFuture();
  }

  private Future<ProviderResponse> route(ProxyRequest request) {
    String path = request.path();
    long now = System.currentTimeMillis() / 1000;
    if (request.method().equals("POST")) {
      switch (path) {
        case "/v1/chat/completions":
          return complete(request, ChatCompletion.answer(request.json(), nextId("chatcmpl-", request), now, options));
        case "/v1/completions":
          return complete(request, TextCompletion.answer(request.json(), nextId("cmpl-", request), now, options));
        case "/v1/responses":
          return complete(request, ResponsesAnswer.answer(request.json(), nextId("resp_", request), now, options));
        case "/v1/messages":
          return complete(request, MessagesAnswer.answer(request.json(), nextId("msg_", request), now, options));
        case "/v1/embeddings":
          return answer(request, Embeddings.answer(request.json(), options), 0);
        default:
          break;
      }
    } else if (request.method().equals("GET")) {
      if (path.equals(MODELS)) {
        return answer(request, Models.list(), 0);
      }
      if (path.startsWith(MODELS + "/") && path.length() > MODELS.length() + 1) {
        String id = decode(path.substring(MODELS.length() + 1));
        return Models.find(id)
            .map(model -> answer(request, model.json(), 0))
            .orElseGet(() -> Future.succeededFuture(error(request, new ApiError(404, "invalid_request_error",
                "model_not_found", "The model '" + id + "' does not exist", "model", null))));
      }
    }
    return Future.succeededFuture(error(request, new ApiError(404, "invalid_request_error", "unknown_url",
        "Unknown request URL: " + request.method() + " " + path + ". Please check the URL for typos, or see "
            + "the docs at https://platform.openai.com/docs/api-reference/.", null, null)));
  }

  private Future<ProviderResponse> complete(ProxyRequest request, Completion completion) {
    if (completion.stream()) {
      BufferStream body = new BufferStream();
      Playback playback = new Playback(vertx, completion, body, options.tokensPerSecond(), playing::remove);
      playing.add(playback);
      playback.start();
      // A caller that leaves mid-stream stops the timers: nothing plays to nobody.
      Runnable cancel = () -> {
        playing.remove(playback);
        playback.cancel(new IllegalStateException("the caller went away"));
      };
      return Future.succeededFuture(new ProviderResponse(200, headers(request, EVENT_STREAM, 0), body, cancel));
    }
    // A whole answer arrives once every token would have been generated at the configured pace.
    long delay = options.tokensPerSecond() > 0 ? Math.round(completion.rounds() * 1000 / options.tokensPerSecond()) : 0;
    return delay == 0 ? answer(request, completion.body(), 0) : later(delay, () -> json(request, completion.body(), delay));
  }

  private Future<ProviderResponse> later(long delayMs, Supplier<ProviderResponse> answer) {
    Promise<ProviderResponse> promise = Promise.promise();
    long timer = vertx.setTimer(delayMs, id -> {
      waiting.remove(id);
      promise.tryComplete(answer.get());
    });
    waiting.put(timer, promise);
    return promise.future();
  }

  private Future<ProviderResponse> answer(ProxyRequest request, JsonObject body, long processingMs) {
    return Future.succeededFuture(json(request, body, processingMs));
  }

  private static ProviderResponse json(ProxyRequest request, JsonObject body, long processingMs) {
    return ProviderResponse.of(200, headers(request, JSON, processingMs), body.toBuffer());
  }

  private static ProviderResponse error(ProxyRequest request, ApiError error) {
    Dialect dialect = Dialects.of(request);
    if (dialect != Dialects.OPENAI_CHAT) {
      return dialect.errorResponse(new ApiError(error.status(), error.type(), error.code(), error.message(),
          error.param(), error.headers().with(dialect.requestIdHeader(), request.id())), request.id());
    }
    return OpenAiFormat.errorResponse(new ApiError(error.status(), error.type(), error.code(), error.message(),
        error.param(), error.headers().with("x-request-id", request.id()).with("openai-version", "2020-10-01")));
  }

  private static Headers headers(ProxyRequest request, String contentType, long processingMs) {
    if (Dialects.of(request) == Dialects.ANTHROPIC_MESSAGES) {
      return Headers.of("content-type", contentType, "request-id", request.id());
    }
    return Headers.of(
        "content-type", contentType,
        "x-request-id", request.id(),
        "openai-processing-ms", Long.toString(processingMs),
        "openai-version", "2020-10-01");
  }

  private String nextId(String prefix, ProxyRequest request) {
    return Hashes.id(prefix, request.id(), ++calls);
  }

  /** Percent-decoding for a path segment: unlike a form, a '+' stays a '+'. */
  private static String decode(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
