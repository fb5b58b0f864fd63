package dev.faultline.plugin.api;

import java.time.Duration;
import java.util.Optional;

/**
 * Changes a streamed response ({@code text/event-stream}) one server-sent event at a time: the
 * easy way to write stream faults. The host parses the upstream's bytes into events (however the
 * network split them), asks {@link #onEvent} about each, in order, and sends what it answers;
 * while an action is delayed, later events wait (the upstream is paused). Responses that are not
 * event streams pass untouched.
 *
 * <pre>{@code
 * // Drip: every event 200 ms after the previous one.
 * FaultDecision.events((event, index, elapsedMillis) -> EventAction.pass().after(Duration.ofMillis(200)));
 *
 * // Cut the stream after 5 events: the caller never sees [DONE].
 * FaultDecision.events((event, index, elapsedMillis) -> index < 5 ? EventAction.pass() : EventAction.cut());
 * }</pre>
 *
 * <p>An exception thrown here is logged and the rest of the stream passes untouched.
 */
@FunctionalInterface
public interface EventFault {

  /**
   * @param event         the event as the upstream sent it ({@code data: [DONE]} included)
   * @param index         its position in the stream, from 0
   * @param elapsedMillis milliseconds since the response started streaming
   */
  EventAction onEvent(SseEvent event, int index, long elapsedMillis);

  /**
   * A time after which the stream is cut whatever the upstream does, even while it is silent;
   * empty for none.
   */
  default Optional<Duration> cutAfter() {
    return Optional.empty();
  }
}
