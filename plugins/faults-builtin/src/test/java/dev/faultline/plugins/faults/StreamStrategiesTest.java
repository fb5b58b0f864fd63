package dev.faultline.plugins.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.plugin.api.EventAction;
import dev.faultline.plugin.api.EventAction.Kind;
import dev.faultline.plugin.api.EventFault;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultStrategy;
import dev.faultline.plugin.api.SseEvent;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The four stream strategies event by event, as the host's rewriter calls them: which event is
 * passed, replaced, ended or cut; and that a request without {@code "stream": true} passes.
 */
class StreamStrategiesTest {

  @Test
  void aRequestThatDoesNotStreamPassesEveryStreamStrategy() {
    for (FaultStrategy strategy : List.of(new StreamCutStrategy(), new StreamDripStrategy(),
        new StreamCorruptStrategy(), new StreamErrorStrategy())) {
      assertInstanceOf(FaultDecision.Pass.class, Strategies.fault(strategy, new JsonObject()).decide(
          Strategies.plain()), strategy.id());
    }
  }

  @Test
  void streamCutLetsThreeEventsThroughByDefaultAndHasNoTimer() {
    EventFault cut = Strategies.events(new StreamCutStrategy(), new JsonObject());
    assertEquals(List.of(Kind.PASS, Kind.PASS, Kind.PASS, Kind.CUT, Kind.CUT), kinds(cut, 5));
    assertEquals(Optional.empty(), cut.cutAfter());
  }

  @Test
  void streamCutAfterEventsCountsFromZero() {
    assertEquals(List.of(Kind.CUT), kinds(Strategies.events(new StreamCutStrategy(),
        new JsonObject().put("after_events", 0)), 1));
    assertEquals(List.of(Kind.PASS, Kind.CUT), kinds(Strategies.events(new StreamCutStrategy(),
        new JsonObject().put("after_events", 1)), 2));
  }

  @Test
  void streamCutAfterMsAloneCutsByTimeOnly() {
    EventFault cut = Strategies.events(new StreamCutStrategy(), new JsonObject().put("after_ms", 250));
    assertEquals(Optional.of(Duration.ofMillis(250)), cut.cutAfter());
    assertTrue(kinds(cut, 50).stream().allMatch(k -> k == Kind.PASS), "no event limit when only after_ms is set");
  }

  @Test
  void streamCutWithBothLimitsCutsAtWhicheverComesFirst() {
    EventFault cut = Strategies.events(new StreamCutStrategy(), new JsonObject().put("after_ms", 0)
        .put("after_events", 2));
    assertEquals(Optional.of(Duration.ZERO), cut.cutAfter());
    assertEquals(List.of(Kind.PASS, Kind.PASS, Kind.CUT), kinds(cut, 3));
  }

  @Test
  void streamDripDelaysEveryEventAndChangesNone() {
    EventFault drip = Strategies.events(new StreamDripStrategy(), new JsonObject().put("delay_ms", 40));
    for (int i = 0; i < 3; i++) {
      EventAction action = drip.onEvent(Strategies.chunk(i), i, i * 40L);
      assertEquals(Kind.PASS, action.kind());
      assertEquals(Duration.ofMillis(40), action.delay());
    }
    assertEquals(Duration.ofMillis(500), Strategies.events(new StreamDripStrategy(), new JsonObject())
        .onEvent(SseEvent.of("[DONE]"), 0, 0).delay(), "500 ms by default");
  }

  @Test
  void streamCorruptCutsTheChosenJsonEventInHalfOnce() {
    EventFault corrupt = Strategies.events(new StreamCorruptStrategy(), new JsonObject().put("event", 2));
    assertEquals(Kind.PASS, corrupt.onEvent(Strategies.chunk(0), 0, 0).kind());
    assertEquals(Kind.PASS, corrupt.onEvent(Strategies.chunk(1), 1, 0).kind());
    SseEvent target = new SseEvent("message", Strategies.chunk(2).data(), "7");
    EventAction spoiled = corrupt.onEvent(target, 2, 0);
    assertEquals(Kind.REPLACE, spoiled.kind());
    SseEvent sent = spoiled.events().get(0);
    assertEquals(target.data().substring(0, target.data().length() / 2), sent.data());
    assertNull(sent.json(), "malformed JSON");
    assertEquals("message", sent.event());
    assertEquals("7", sent.id());
    assertEquals(Kind.PASS, corrupt.onEvent(Strategies.chunk(3), 3, 0).kind(), "only once");
  }

  @Test
  void streamCorruptSkipsToTheNextJsonEventAndDefaultsToTheSecond() {
    EventFault corrupt = Strategies.events(new StreamCorruptStrategy(), new JsonObject());
    assertEquals(Kind.PASS, corrupt.onEvent(Strategies.chunk(0), 0, 0).kind(), "event 1 by default");
    assertEquals(Kind.PASS, corrupt.onEvent(SseEvent.of("not json"), 1, 0).kind());
    assertEquals(Kind.REPLACE, corrupt.onEvent(Strategies.chunk(2), 2, 0).kind());
    assertEquals(Kind.PASS, corrupt.onEvent(SseEvent.of("[DONE]"), 3, 0).kind());
  }

  @Test
  void streamErrorEndsWithOpenAisErrorEventAfterTwoEventsByDefault() {
    EventFault error = Strategies.events(new StreamErrorStrategy(), new JsonObject());
    assertEquals(Kind.PASS, error.onEvent(Strategies.chunk(0), 0, 0).kind());
    assertEquals(Kind.PASS, error.onEvent(Strategies.chunk(1), 1, 0).kind());
    EventAction end = error.onEvent(Strategies.chunk(2), 2, 0);
    assertEquals(Kind.END, end.kind());
    assertEquals(1, end.events().size());
    assertEquals(new JsonObject().put("error", new JsonObject()
        .put("message", "The server had an error while processing your request. Sorry about that!")
        .put("type", "server_error").putNull("param").putNull("code")), end.events().get(0).json());
  }

  @Test
  void streamErrorReplacesDoneWhenTheStreamIsShorterAndCarriesItsParams() {
    EventFault error = Strategies.events(new StreamErrorStrategy(), new JsonObject().put("after_events", 10)
        .put("type", "invalid_request_error").put("code", "boom").put("message", "it broke"));
    assertEquals(Kind.PASS, error.onEvent(Strategies.chunk(0), 0, 0).kind());
    EventAction end = error.onEvent(SseEvent.of("[DONE]"), 1, 0);
    assertEquals(Kind.END, end.kind());
    JsonObject body = end.events().get(0).json().getJsonObject("error");
    assertEquals("invalid_request_error", body.getString("type"));
    assertEquals("boom", body.getString("code"));
    assertEquals("it broke", body.getString("message"));
    assertEquals(Kind.END, Strategies.events(new StreamErrorStrategy(), new JsonObject().put("after_events", 0))
        .onEvent(Strategies.chunk(0), 0, 0).kind(), "0: the very first event is the error");
  }

  private static List<Kind> kinds(EventFault fault, int events) {
    return java.util.stream.IntStream.range(0, events)
        .mapToObj(i -> fault.onEvent(Strategies.chunk(i), i, 0).kind()).toList();
  }
}
