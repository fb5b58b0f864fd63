package dev.faultline.proxy.request;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An answer nobody will read (the caller gave up, or the proxy's own upstream timeout answered
 * first): an LLM upstream would go on generating (and billing) it for nobody, so the proxy stops
 * the upstream call, or never makes it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AbandonedCallTest {

  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private Faultline faultline;
  private WebClient admin;
  private HttpServer upstream;
  private HttpClient callers;
  /** Requests the upstream received; each is held, never answered, like a long generation. */
  private final AtomicInteger received = new AtomicInteger();
  private Promise<Void> firstReceived;
  private Promise<Void> firstClosed;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    firstReceived = Promise.promise();
    firstClosed = Promise.promise();
    upstream = await(vertx.createHttpServer().requestHandler(request -> {
      received.incrementAndGet();
      request.connection().closeHandler(v -> firstClosed.tryComplete());
      firstReceived.tryComplete();
    }).listen(0, "127.0.0.1"));
    faultline = await(FaultlineHarness.start(vertx, dataDir));
    admin = FaultlineHarness.client(vertx);
    callers = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  @AfterEach
  void stop() {
    await(callers.close());
    await(faultline.stop());
    await(upstream.close());
  }

  @Test
  void aCallerWhoLeavesBeforeTheAnswerBeginsStopsTheUpstreamCall() {
    int port = proxy(new JsonArray());
    Promise<JsonObject> logged = Promise.promise();
    vertx.eventBus().<JsonObject>consumer("faultline.log", message -> logged.tryComplete(message.body()));
    HttpClientRequest call = await(send(port));
    await(firstReceived.future());

    call.reset();

    // Without the stop, the upstream connection stays open for the provider's idle timeout (minutes).
    await(firstClosed.future());
    // The upstream call failed only because the proxy stopped it for a caller who left: the row
    // says the caller left, and does not blame the upstream.
    JsonObject entry = await(logged.future());
    assertEquals("abandoned", entry.getString("outcome"), entry.encode());
    assertEquals("client_closed", entry.getString("error_type"), entry.encode());
    assertEquals(0, entry.getInteger("status"), entry.encode());
  }

  @Test
  void aCallerWhoLeavesDuringADelayCausesNoUpstreamCallAtAll() throws InterruptedException {
    int port = proxy(new JsonArray().add(new JsonObject().put("strategy", "latency").put("rate", 1)
        .put("params", new JsonObject().put("ms", 1_000))));
    Promise<Void> abandoned = Promise.promise();
    vertx.eventBus().<JsonObject>consumer("faultline.log", message -> {
      if ("abandoned".equals(message.body().getString("outcome"))) {
        abandoned.tryComplete();
      }
    });
    HttpClientRequest call = await(send(port));
    // Well inside the delay, and time enough for even a loaded proxy to have read the request;
    // that it had is what the log entry of the caller's leaving says.
    vertx.setTimer(300, id -> call.reset());
    await(abandoned.future());

    Thread.sleep(1_200); // past the delay, when the upstream call would have been made
    assertEquals(0, received.get(), "the upstream was called for a caller who had left");
  }

  @Test
  void theProxysUpstreamTimeoutStopsTheUpstreamCallItGaveUpOn() {
    int port = proxy(new JsonArray().add(new JsonObject().put("strategy", "upstream-timeout")
        .put("params", new JsonObject().put("ms", 300))));
    HttpClientRequest call = await(send(port));
    HttpClientResponse answer = await(call.response());
    assertEquals(504, answer.statusCode(), "the proxy's own timeout answers");

    // The caller is answered and gone; the upstream must not go on generating for nobody.
    await(firstClosed.future());
  }

  /** Sends a chat completion and returns the request without waiting for an answer. */
  private Future<HttpClientRequest> send(int port) {
    return callers.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
            .setURI("/v1/chat/completions").putHeader("content-type", "application/json")
            .putHeader("authorization", "Bearer sk-caller"))
        .compose(request -> request.end(CHAT).map(request));
  }

  private int proxy(JsonArray faults) {
    JsonObject proxy = await(FaultlineHarness.createProxy(admin, faultline, new JsonObject().put("name", "held")
        .put("provider", "openai").put("upstream", "http://127.0.0.1:" + upstream.actualPort())
        .put("faults", faults)));
    return proxy.getInteger("port");
  }
}
