package dev.faultline.faults;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.faults.FaultTests.FAULT_HEADER;
import static dev.faultline.faults.FaultTests.STREAM_CHAT;
import static dev.faultline.faults.FaultTests.fault;
import static dev.faultline.faults.FaultTests.faults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream faults on {@code "stream": true} answers of the offline mock, read raw off the socket: a
 * cut leaves the caller without {@code [DONE]}, a drip spaces events out, a corrupt event is
 * malformed JSON, and an error event ends the stream the way OpenAI ends one.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamFaultsTest {

  @TempDir
  static Path dataDir;

  static Faultline faultline;
  static WebClient admin;
  static HttpClient http;
  /** The mock's streamed answer, untouched: the events every fault is compared with. */
  static List<String> intact;

  @BeforeAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void start(Vertx vertx) {
    faultline = await(FaultlineHarness.start(vertx, dataDir));
    admin = FaultlineHarness.client(vertx);
    http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    FaultTests.Raw plain = await(FaultTests.raw(http, port("stream-plain", new JsonArray(), null), STREAM_CHAT));
    intact = plain.events().stream().map(StreamFaultsTest::sameId).toList();
    assertTrue(intact.size() >= 8 && intact.get(intact.size() - 1).equals("[DONE]"), plain.body());
  }

  @AfterAll
  static void stop() {
    await(http.close());
    await(faultline.stop());
  }

  @Test
  void cutAfterEventsClosesTheConnectionWithoutDone() {
    int port = port("stream-cut", faults(fault("stream-cut", 1, new JsonObject().put("after_events", 3))), null);

    FaultTests.Raw cut = await(FaultTests.raw(http, port, STREAM_CHAT));

    assertEquals(200, cut.status());
    assertTrue(cut.closedEarly(), "the connection was closed, not the response ended: " + cut.body());
    assertEquals(intact.subList(0, 3), sameIds(cut.events()), "exactly the first 3 events, untouched");
    assertFalse(cut.body().contains("[DONE]"));
    assertEquals("stream-cut", cut.headers().get(FAULT_HEADER));
  }

  @Test
  void cutAfterMillisecondsCutsEvenWhileTheUpstreamIsSlow() {
    // Two tokens a second: the whole answer would take over four seconds.
    int port = port("stream-cut-ms", faults(fault("stream-cut", 1, new JsonObject().put("after_ms", 300))),
        new JsonObject().put("options", new JsonObject().put("completion_tokens", 8).put("tokens_per_second", 2)));

    FaultTests.Raw cut = await(FaultTests.raw(http, port, STREAM_CHAT));

    assertTrue(cut.closedEarly(), cut.body());
    assertTrue(cut.events().size() < intact.size() - 2, "cut long before the end: " + cut.events());
    assertFalse(cut.body().contains("[DONE]"));
  }

  @Test
  void dripSpacesEveryEventOutAndStillCompletes() {
    int port = port("stream-drip", faults(fault("stream-drip", 1, new JsonObject().put("delay_ms", 40))), null);

    long start = System.nanoTime();
    FaultTests.Raw drip = await(FaultTests.raw(http, port, STREAM_CHAT));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertFalse(drip.closedEarly(), String.valueOf(drip.error()));
    assertEquals(intact, sameIds(drip.events()), "the same events, in order");
    assertTrue(elapsedMs >= 40L * intact.size(), "each of " + intact.size() + " events waited 40 ms; took "
        + elapsedMs + " ms");
  }

  @Test
  void corruptSendsOneEventAsMalformedJson() {
    int port = port("stream-corrupt", faults(fault("stream-corrupt", 1, new JsonObject().put("event", 2))), null);

    FaultTests.Raw corrupt = await(FaultTests.raw(http, port, STREAM_CHAT));

    assertFalse(corrupt.closedEarly());
    List<String> events = sameIds(corrupt.events());
    assertEquals(intact.size(), events.size());
    for (int i = 0; i < events.size(); i++) {
      if (i == 2) {
        String broken = sameId(corrupt.events().get(i));
        assertTrue(intact.get(i).startsWith(broken) && broken.length() < intact.get(i).length(), broken);
        assertThrowsDecode(broken);
      } else {
        assertEquals(intact.get(i), events.get(i), "event " + i + " is untouched");
      }
    }
  }

  @Test
  void errorEventEndsTheStreamAsOpenAiDoes(Vertx vertx) {
    JsonObject proxy = FaultTests.mockProxy(admin, faultline, "stream-error",
        faults(fault("stream-error", 1, new JsonObject().put("after_events", 2).put("code", "engine_overloaded"))),
        null);
    Promise<JsonObject> logged = Promise.promise();
    MessageConsumer<JsonObject> log = vertx.eventBus().<JsonObject>consumer("faultline.log", message -> {
      if (proxy.getString("id").equals(message.body().getString("proxy_id"))) {
        logged.tryComplete(message.body());
      }
    });

    FaultTests.Raw failed = await(FaultTests.raw(http, proxy.getInteger("port"), STREAM_CHAT));

    assertFalse(failed.closedEarly(), "the stream ends normally after the error event");
    List<String> events = failed.events();
    assertEquals(3, events.size(), failed.body());
    assertEquals(intact.subList(0, 2), sameIds(events.subList(0, 2)));
    JsonObject error = new JsonObject(events.get(2)).getJsonObject("error");
    assertEquals("The server had an error while processing your request. Sorry about that!", error.getString("message"));
    assertEquals("server_error", error.getString("type"));
    assertTrue(error.containsKey("param") && error.getValue("param") == null);
    assertEquals("engine_overloaded", error.getString("code"));
    assertFalse(failed.body().contains("[DONE]"));

    // The status went out as a 200 before the error: the row still says which error ended it.
    JsonObject entry = await(logged.future());
    await(log.unregister());
    assertEquals(200, entry.getInteger("status"), entry.encode());
    assertEquals("completed", entry.getString("outcome"), entry.encode());
    assertEquals("engine_overloaded", entry.getString("error_type"), entry.encode());
  }

  @Test
  void streamFaultsLeaveAnswersThatAreNotStreamsAlone() {
    int port = port("stream-only", faults(fault("stream-cut", 1, new JsonObject().put("after_events", 0))), null);

    FaultTests.Raw whole = await(FaultTests.raw(http, port, FaultTests.CHAT));

    assertEquals(200, whole.status());
    assertFalse(whole.closedEarly());
    assertNotNull(new JsonObject(whole.body()).getJsonArray("choices"));
    assertNull(whole.headers().get(FAULT_HEADER));
  }

  /** The mock gives every answer its own id and time; everything else about the events is compared. */
  private static String sameId(String event) {
    return event.replaceAll("\"id\":\"chatcmpl-[A-Za-z0-9]+\"", "\"id\":\"chatcmpl-x\"")
        .replaceAll("\"created\":\\d+", "\"created\":0");
  }

  private static List<String> sameIds(List<String> events) {
    return events.stream().map(StreamFaultsTest::sameId).toList();
  }

  private static void assertThrowsDecode(String json) {
    try {
      new JsonObject(json);
      throw new AssertionError("expected malformed JSON: " + json);
    } catch (DecodeException expected) {
      // malformed, as intended
    }
  }

  private static int port(String name, JsonArray faults, JsonObject more) {
    return FaultTests.mockProxy(admin, faultline, name, faults, more).getInteger("port");
  }
}
