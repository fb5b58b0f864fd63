package dev.faultline.faults;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.faults.FaultTests.CHAT;
import static dev.faultline.faults.FaultTests.FAULT_HEADER;
import static dev.faultline.faults.FaultTests.chat;
import static dev.faultline.faults.FaultTests.fault;
import static dev.faultline.faults.FaultTests.faults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.threadchecker.BlockedThreadEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mockserver.configuration.Configuration;
import org.mockserver.integration.ClientAndServer;
import org.mockserver.model.Delay;
import org.slf4j.event.Level;

/**
 * Faults that are about time: latency, hangs and the upstream timeout. The Vert.x here reports
 * any event-loop task over 200 ms to the test, which fails on it: a fault that waited by
 * blocking a thread could not pass.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimingFaultsTest {

  @TempDir
  static Path dataDir;

  static Vertx vertx;
  static Faultline faultline;
  static WebClient client;
  static final List<BlockedThreadEvent> blocked = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx(new VertxOptions()
        .setMaxEventLoopExecuteTime(200).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(20).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    faultline = await(FaultlineHarness.start(vertx, dataDir));
    client = FaultlineHarness.client(vertx);
    // Warm up the request path (class loading), then start counting.
    chat(client, proxy("warm-up", new JsonArray()), CHAT);
    ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(event -> {
      if (event.thread().getName().contains("eventloop")) {
        blocked.add(event);
      }
    });
  }

  @AfterAll
  static void stop() {
    try {
      await(faultline.stop());
    } finally {
      await(vertx.close());
    }
    assertTrue(blocked.isEmpty(), "an event loop was blocked: " + blocked);
  }

  @BeforeEach
  void noBlockingSoFar() {
    assertTrue(blocked.isEmpty(), "an event loop was blocked: " + blocked);
  }

  @Test
  void latencyDelaysTheAnswer() {
    int port = proxy("latency", faults(fault("latency", 1, new JsonObject().put("ms", 300))));

    long start = System.nanoTime();
    HttpResponse<Buffer> answer = chat(client, port, CHAT);
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertEquals(200, answer.statusCode());
    assertEquals("latency", answer.getHeader(FAULT_HEADER));
    assertTrue(elapsedMs >= 300, "answered after " + elapsedMs + " ms");
  }

  @Test
  void hangEndsAtTheClientsTimeoutWhileTheProxyKeepsServing() {
    int port = proxy("hang", faults(fault("hang", 1, new JsonObject())));
    Promise<JsonObject> logged = Promise.promise();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer("faultline.log", message -> {
      if ("hang".equals(message.body().getString("fault"))) {
        logged.tryComplete(message.body());
      }
    });
    await(consumer.completion());
    try {
      var hanging = client.post(port, "127.0.0.1", "/v1/chat/completions").timeout(1500)
          .putHeader("Authorization", "Bearer sk-test").putHeader("content-type", "application/json")
          .sendBuffer(Buffer.buffer(CHAT));
      // The same proxy, on the same event loop, answers others while one request hangs.
      for (int i = 0; i < 5; i++) {
        assertEquals(200, chat(client, port, CHAT, FAULT_HEADER, "none").statusCode());
      }
      AsyncResult<HttpResponse<Buffer>> outcome = await(hanging.transform(Future::succeededFuture));
      assertTrue(outcome.failed(), () -> "a hanging request was answered: " + outcome.result().statusCode());
      assertTrue(outcome.cause() instanceof TimeoutException, "the client gave up: " + outcome.cause());
      JsonObject entry = await(logged.future());
      assertEquals("abandoned", entry.getString("outcome"), entry.encode());
    } finally {
      await(consumer.unregister());
    }
  }

  @Test
  void hangForSomeSecondsThenResetsAnswers504OrGoesOn() {
    int port = proxy("hang-then", new JsonArray());
    HttpClient http = vertx.createHttpClient();
    try {
      try {
        FaultTests.Raw answer = await(FaultTests.raw(http, port, CHAT, FAULT_HEADER, "hang;seconds=0.2;then=reset"));
        fail("expected the connection to drop after the hang, got " + answer);
      } catch (RuntimeException e) {
        assertTrue(String.valueOf(e.getCause() == null ? e : e.getCause()).toLowerCase().contains("closed"),
            e.toString());
      }
    } finally {
      await(http.close());
    }
    HttpResponse<Buffer> timedOut = chat(client, port, CHAT, FAULT_HEADER, "hang;seconds=0.2;then=timeout");
    assertEquals(504, timedOut.statusCode());
    assertEquals("timeout", timedOut.bodyAsJsonObject().getJsonObject("error").getString("code"));
    assertEquals(200, chat(client, port, CHAT, FAULT_HEADER, "hang;seconds=0.2;then=continue").statusCode());
  }

  @Test
  void upstreamTimeoutAnswers504AtTheDeadline() {
    ClientAndServer upstream = ClientAndServer.startClientAndServer(
        Configuration.configuration().logLevel(Level.WARN).disableSystemOut(true), 0);
    try {
      upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "application/json")
          .withBody("{\"id\":\"late\"}").withDelay(Delay.seconds(5)));
      JsonObject proxy = await(FaultlineHarness.createProxy(client, faultline, new JsonObject()
          .put("name", "timeout").put("provider", "openai").put("upstream", "http://127.0.0.1:" + upstream.getPort())
          .put("faults", new JsonObject().put("timeout_sec", 0.3))));
      assertEquals(new JsonArray().add(new JsonObject().put("strategy", "upstream-timeout").put("rate", 1.0)
          .put("params", new JsonObject().put("ms", 300))), proxy.getJsonArray("faults"), "the shorthand, converted");

      long start = System.nanoTime();
      HttpResponse<Buffer> answer = chat(client, proxy.getInteger("port"), CHAT);
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;

      assertEquals(504, answer.statusCode(), answer.bodyAsString());
      JsonObject error = answer.bodyAsJsonObject().getJsonObject("error");
      assertEquals("server_error", error.getString("type"));
      assertEquals("timeout", error.getString("code"));
      assertTrue(error.getString("message").contains("300 ms"), error.getString("message"));
      assertEquals("upstream-timeout", answer.getHeader(FAULT_HEADER));
      assertTrue(elapsedMs >= 300 && elapsedMs < 4_000, "answered at the deadline, not when the upstream did: "
          + elapsedMs + " ms");
      assertEquals(1, upstream.retrieveRecordedRequests(request()).length, "the request did go upstream");
    } finally {
      upstream.stop();
    }
  }

  private static int proxy(String name, JsonArray faults) {
    return FaultTests.mockProxy(client, faultline, name, faults, null).getInteger("port");
  }
}
