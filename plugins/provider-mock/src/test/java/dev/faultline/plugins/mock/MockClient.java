package dev.faultline.plugins.mock;

import static org.junit.jupiter.api.Assertions.fail;

import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.ProviderContext;
import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.plugin.api.ProviderSession;
import dev.faultline.plugin.api.ProxyRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Calls a mock session the way the host does (on an event loop, reading the body through its
 * ReadStream) and waits for the whole answer, with a timeout so a broken stream fails the test
 * instead of hanging it.
 */
final class MockClient {

  static final long TIMEOUT_SECONDS = 5;

  /** A complete answer; {@code writes} is how many buffers the body stream delivered. */
  record Reply(int status, Headers headers, Buffer body, List<Buffer> writes) {

    JsonObject json() {
      return body.toJsonObject();
    }

    String header(String name) {
      return headers.get(name).orElse(null);
    }

    /** The {@code data:} payload of every server-sent event, in order. */
    List<String> events() {
      List<String> events = new ArrayList<>();
      for (String frame : body.toString().split("\n\n")) {
        if (!frame.startsWith("data: ")) {
          fail("not an SSE data event: " + frame);
        }
        events.add(frame.substring("data: ".length()));
      }
      return events;
    }

    /** The JSON chunks, without the final {@code [DONE]}. */
    List<JsonObject> chunks() {
      return events().stream().filter(e -> !e.equals("[DONE]")).map(JsonObject::new).toList();
    }
  }

  private final Vertx vertx;
  private final ProviderSession session;

  MockClient(Vertx vertx) {
    this(vertx, new JsonObject());
  }

  MockClient(Vertx vertx, JsonObject options) {
    this.vertx = vertx;
    this.session = new MockProvider().open(context(vertx, options));
  }

  static ProviderContext context(Vertx vertx, JsonObject options) {
    return new ProviderContext() {
      public Vertx vertx() {
        return vertx;
      }

      public String proxyId() {
        return "test-proxy";
      }

      public String upstream() {
        return null;
      }

      public JsonObject options() {
        return options;
      }
    };
  }

  static ProxyRequest request(String method, String path, JsonObject body) {
    Buffer bytes = body == null ? Buffer.buffer() : body.toBuffer();
    return new ProxyRequest("req_" + UUID.randomUUID().toString().replace("-", ""), method, path,
        Headers.of("content-type", "application/json", "authorization", "Bearer sk-test"), bytes, body);
  }

  ProviderSession session() {
    return session;
  }

  Reply post(String path, JsonObject body) {
    return send(request("POST", path, body));
  }

  Reply get(String path) {
    return send(request("GET", path, null));
  }

  Reply send(ProxyRequest request) {
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    vertx.runOnContext(v -> session.forward(request).onComplete(ar -> {
      if (ar.failed()) {
        reply.completeExceptionally(ar.cause());
        return;
      }
      read(ar.result(), reply);
    }));
    return await(reply, request.method() + " " + request.uri());
  }

  /** Runs {@code action} on an event loop, as the host calls sessions, and waits for it. */
  <T> T onContext(Supplier<Future<T>> action) {
    CompletableFuture<T> result = new CompletableFuture<>();
    vertx.runOnContext(v -> action.get().onComplete(ar -> {
      if (ar.succeeded()) {
        result.complete(ar.result());
      } else {
        result.completeExceptionally(ar.cause());
      }
    }));
    return await(result, "action on context");
  }

  private static void read(ProviderResponse response, CompletableFuture<Reply> reply) {
    Buffer body = Buffer.buffer();
    List<Buffer> writes = new ArrayList<>();
    response.body().exceptionHandler(reply::completeExceptionally);
    response.body().endHandler(v -> reply.complete(new Reply(response.status(), response.headers(), body, writes)));
    response.body().handler(chunk -> {
      writes.add(chunk);
      body.appendBuffer(chunk);
    });
  }

  private static <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      return fail("no complete answer to " + what + " within " + TIMEOUT_SECONDS + " s");
    } catch (ExecutionException e) {
      return fail(what + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted waiting for " + what);
    }
  }
}
