package dev.faultline.proxy.request;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Server-sent events through an {@code openai} proxy: relayed event by event as the upstream
 * writes them, never buffered, and a broken upstream stream never looks complete to the caller.
 * The upstream is a Vert.x server in the test that holds each next event back until the caller
 * has received the previous one through the proxy, so a buffering proxy deadlocks and fails.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamingRelayTest {

  /** How long one event may take to cross the proxy before the test calls it buffered. */
  private static final long EVENT_TIMEOUT_MS = 5_000;

  private static final List<String> EVENTS = List.of(
      chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", null),
      chunk("{\"content\":\"Hel\"}", null),
      chunk("{\"content\":\"lo, w\\u00f6rld\"}", null),
      chunk("{\"content\":\" — ünïcödé 😀\"}", null),
      chunk("{}", "\"stop\""),
      "data: {\"id\":\"chatcmpl-stream1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
          + "\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":4,"
          + "\"total_tokens\":12}}\n\n",
      "data: [DONE]\n\n");

  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":"
      + "{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir
  Path dataDir;

  private Faultline faultline;
  private WebClient admin;
  private HttpClient http;
  private HttpServer upstream;
  private volatile Handler<HttpServerRequest> upstreamHandler;
  /** Completed in teardown so an upstream still holding events back lets go. */
  private final Promise<Void> teardown = Promise.promise();
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.faultline = await(FaultlineHarness.start(vertx, dataDir));
    this.admin = FaultlineHarness.client(vertx);
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    this.upstream = await(vertx.createHttpServer()
        .requestHandler(request -> {
          Handler<HttpServerRequest> handler = upstreamHandler;
          if (handler == null) {
            request.response().setStatusCode(500).end("no upstream handler set");
          } else {
            handler.handle(request);
          }
        })
        .listen(0, "127.0.0.1"));
    JsonObject proxy = await(FaultlineHarness.createProxy(admin, faultline, new JsonObject()
        .put("name", "stream").put("provider", "openai").put("upstream", "http://127.0.0.1:" + upstream.actualPort())));
    this.port = proxy.getInteger("port");
  }

  @AfterEach
  void stop() {
    teardown.tryComplete();
    try {
      if (http != null) {
        await(http.close());
      }
      if (faultline != null) {
        await(faultline.stop());
      }
    } finally {
      if (upstream != null) {
        await(upstream.close());
      }
    }
  }

  @Test
  void eventsAreRelayedOneByOneAsTheUpstreamWritesThem() {
    Stream stream = new Stream(EVENTS.size());
    Promise<UpstreamCall> upstreamRequest = Promise.promise();
    upstreamHandler = request -> {
      upstreamRequest.tryComplete(new UpstreamCall(request.method().name(), request.uri()));
      HttpServerResponse response = request.response()
          .setChunked(true)
          .putHeader("content-type", "text/event-stream; charset=utf-8")
          .putHeader("cache-control", "no-cache")
          .putHeader("x-request-id", "req_streaming_upstream");
      writeInLockStep(Vertx.currentContext(), response, stream, 0, EVENTS.size(), true);
    };

    stream.open(http, port, CHAT);

    for (int i = 0; i < EVENTS.size(); i++) {
      int number = i + 1;
      String state = i == 0 ? "with only the first event written"
          : "with " + i + " events relayed and event " + number + " written";
      awaitOrFail(stream.seen.get(i).future(), () -> "event " + number + " of " + EVENTS.size()
          + " did not reach the client within " + EVENT_TIMEOUT_MS + " ms " + state + " and the upstream holding "
          + "the rest back: the proxy buffers the event stream instead of relaying it event by event. Client got so far: "
          + stream.text());
    }
    String outcome = awaitOrFail(stream.outcome.future(),
        () -> "the stream did not end after [DONE] and the upstream's end; client got: " + stream.text());
    assertEquals("end", outcome, "a complete upstream stream ends cleanly");

    HttpClientResponse response = stream.response.future().result();
    assertEquals(200, response.statusCode());
    assertEquals("text/event-stream; charset=utf-8", response.getHeader("content-type"));
    assertEquals("no-cache", response.getHeader("cache-control"));
    assertEquals("req_streaming_upstream", response.getHeader("x-request-id"));
    assertNull(response.getHeader("content-length"), "an event stream has no length");
    assertEquals(String.join("", EVENTS), stream.text(), "the whole event stream, byte for byte");
    assertEquals(EVENTS, stream.events(), "events intact and in order");
    assertEquals(EVENTS.get(0), stream.atFirstEvent,
        "when the first event arrived the client had exactly that event and nothing more");
    assertEquals("POST /v1/chat/completions", await(upstreamRequest.future()).toString());
  }

  @Test
  void upstreamBreakingMidStreamResetsTheClientInsteadOfEndingCleanly() {
    Stream stream = new Stream(EVENTS.size());
    upstreamHandler = request -> {
      HttpServerResponse response = request.response().setChunked(true)
          .putHeader("content-type", "text/event-stream; charset=utf-8");
      // Two events, each relayed before the next, then the connection dies without [DONE].
      writeInLockStep(Vertx.currentContext(), response, stream, 0, 2, false);
      Context context = Vertx.currentContext();
      stream.seen.get(1).future().onComplete(v -> context.runOnContext(x -> request.connection().close()));
    };

    stream.open(http, port, CHAT);

    String outcome = awaitOrFail(stream.outcome.future(), () -> "the client's response neither ended nor failed within "
        + EVENT_TIMEOUT_MS + " ms after the upstream's connection died: the proxy left the caller hanging. Client got: "
        + stream.text());
    assertTrue(outcome.startsWith("error"), "the upstream died mid-stream, yet the client saw a clean end ("
        + outcome + ") after: " + stream.text());
    assertEquals(EVENTS.subList(0, 2), stream.events(), "the events sent before the break still arrived, in order");
    assertFalse(stream.text().contains("[DONE]"));
  }

  @Test
  void upstreamDyingRightAfterItsLastWriteStillBreaksTheClient() {
    Stream stream = new Stream(EVENTS.size());
    upstreamHandler = request -> {
      HttpServerResponse response = request.response().setChunked(true)
          .putHeader("content-type", "text/event-stream; charset=utf-8");
      // No waiting for the client this time: the break may reach the proxy before it relays anything.
      response.write(EVENTS.get(0));
      response.write(EVENTS.get(1)).onComplete(v -> request.connection().close());
    };

    stream.open(http, port, CHAT);

    String outcome = awaitOrFail(stream.outcome.future(), () -> "the client's response neither ended nor failed within "
        + EVENT_TIMEOUT_MS + " ms after the upstream's connection died: the proxy left the caller hanging. Client got: "
        + stream.text());
    assertTrue(outcome.startsWith("error"), "the upstream died mid-stream, yet the client saw a clean end ("
        + outcome + ") after: " + stream.text());
    assertFalse(stream.text().contains("[DONE]"));
  }

  @Test
  void callerLeavingMidStreamCancelsTheUpstreamRequest() {
    Stream stream = new Stream(EVENTS.size());
    Promise<String> upstreamClosed = Promise.promise();
    upstreamHandler = request -> {
      HttpServerResponse response = request.response().setChunked(true)
          .putHeader("content-type", "text/event-stream; charset=utf-8");
      response.closeHandler(v -> upstreamClosed.tryComplete("closed"));
      response.exceptionHandler(e -> upstreamClosed.tryComplete("error: " + e));
      response.write(EVENTS.get(0));
      // ...and never anything more: a model "thinking" for a long time.
    };

    stream.open(http, port, CHAT);
    awaitOrFail(stream.seen.get(0).future(), () -> "the first event was not relayed");
    await(stream.response.future().result().request().connection().close());

    awaitOrFail(upstreamClosed.future(), () -> "the caller left mid-stream but the proxy kept the upstream request open "
        + "(nobody reads those tokens, yet they are still being generated and paid for)");
  }

  // --- helpers -------------------------------------------------------------------------------

  /**
   * Writes events {@code from} to {@code to - 1}, each one only once the client has received the
   * previous one through the proxy; then ends the response if {@code end}.
   */
  private void writeInLockStep(Context context, HttpServerResponse response, Stream stream, int from, int to,
                               boolean end) {
    if (from == to) {
      if (end) {
        response.end();
      }
      return;
    }
    response.write(EVENTS.get(from));
    if (from + 1 == to && !end) {
      return;
    }
    Future.any(stream.seen.get(from).future(), teardown.future()).onComplete(v -> context.runOnContext(x -> {
      if (!teardown.future().isComplete()) {
        writeInLockStep(context, response, stream, from + 1, to, end);
      }
    }));
  }

  /** Waits for {@code future}; fails with {@code message} (built at failure time) when it takes too long. */
  private static <T> T awaitOrFail(Future<T> future, Supplier<String> message) {
    try {
      return future.await(EVENT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return fail(message.get());
    }
  }

  private static String chunk(String delta, String finishReason) {
    return "data: {\"id\":\"chatcmpl-stream1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
        + "\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_test\",\"choices\":[{\"index\":0,\"delta\":" + delta
        + ",\"logprobs\":null,\"finish_reason\":" + finishReason + "}]}\n\n";
  }

  private record UpstreamCall(String method, String uri) {
    @Override
    public String toString() {
      return method + " " + uri;
    }
  }

  /** One streamed request through the proxy, as the client sees it. */
  private static final class Stream {

    final List<Promise<Void>> seen = new ArrayList<>();
    final Promise<HttpClientResponse> response = Promise.promise();
    /** "end" for a clean end, "error: …" for a broken response. */
    final Promise<String> outcome = Promise.promise();
    private final Buffer received = Buffer.buffer();
    volatile String atFirstEvent;

    Stream(int events) {
      for (int i = 0; i < events; i++) {
        seen.add(Promise.promise());
      }
    }

    void open(HttpClient http, int port, String body) {
      http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
              .setURI("/v1/chat/completions")
              .putHeader("authorization", "Bearer sk-test")
              .putHeader("content-type", "application/json")
              .putHeader("accept", "text/event-stream"))
          .compose(request -> {
            request.connection().closeHandler(v -> outcome.tryComplete("error: connection closed"));
            return request.send(body);
          })
          .onSuccess(res -> {
            res.handler(this::receive);
            res.endHandler(v -> outcome.tryComplete("end"));
            res.exceptionHandler(e -> outcome.tryComplete("error: " + e));
            response.complete(res);
          })
          .onFailure(e -> {
            response.tryFail(e);
            outcome.tryComplete("error: request failed: " + e);
          });
    }

    private synchronized void receive(Buffer chunk) {
      received.appendBuffer(chunk);
      String text = received.toString();
      int complete = text.split("\n\n", -1).length - 1;
      if (atFirstEvent == null && complete >= 1) {
        atFirstEvent = text;
      }
      for (int i = 0; i < Math.min(complete, seen.size()); i++) {
        seen.get(i).tryComplete();
      }
    }

    synchronized String text() {
      return received.toString();
    }

    /** The complete events received, each with its blank-line terminator. */
    synchronized List<String> events() {
      String text = received.toString();
      List<String> events = new ArrayList<>();
      int start = 0;
      for (int end = text.indexOf("\n\n"); end >= 0; end = text.indexOf("\n\n", start)) {
        events.add(text.substring(start, end + 2));
        start = end + 2;
      }
      if (start < text.length()) {
        events.add(text.substring(start));
      }
      return events;
    }
  }
}
