package dev.faultline.plugin.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link EventFault} does with one event: pass it, drop it, replace it with other events,
 * end the stream early, or cut the connection; each optionally {@link #after} a delay.
 *
 * @param kind   what to do
 * @param events the events sent instead, for {@link Kind#REPLACE} and {@link Kind#END}; empty otherwise
 * @param delay  how long to wait first ({@link Duration#ZERO} for no wait)
 */
public record EventAction(Kind kind, List<SseEvent> events, Duration delay) {

  public enum Kind {
    /** Send the event exactly as received. */
    PASS,
    /** Send nothing for it. */
    DROP,
    /** Send {@link #events()} instead (any number, in order). */
    REPLACE,
    /**
     * Send {@link #events()}, then end the stream normally: this event and everything after it are
     * not sent, and the upstream is cancelled (how a provider ends a stream after an error event).
     */
    END,
    /** Close the caller's connection now: this event and everything after it are lost. */
    CUT
  }

  public EventAction {
    Objects.requireNonNull(kind, "kind");
    events = events == null ? List.of() : List.copyOf(events);
    delay = delay == null ? Duration.ZERO : delay;
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
  }

  public static EventAction pass() {
    return new EventAction(Kind.PASS, List.of(), Duration.ZERO);
  }

  public static EventAction drop() {
    return new EventAction(Kind.DROP, List.of(), Duration.ZERO);
  }

  public static EventAction replace(SseEvent... events) {
    return new EventAction(Kind.REPLACE, List.of(events), Duration.ZERO);
  }

  /** Sends {@code last} (maybe nothing), then ends the stream normally. */
  public static EventAction end(SseEvent... last) {
    return new EventAction(Kind.END, List.of(last), Duration.ZERO);
  }

  public static EventAction cut() {
    return new EventAction(Kind.CUT, List.of(), Duration.ZERO);
  }

  /** The same action, done {@code delay} later. */
  public EventAction after(Duration delay) {
    return new EventAction(kind, events, delay);
  }
}
