package dev.faultline.plugin.api;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link Fault} does to one request. Made with the static methods:
 * <ul>
 *   <li>{@link #pass()}: nothing, the request goes on (optionally adding response headers);</li>
 *   <li>{@link #error(ApiError)}: answer at once with an error, shaped by the proxy's provider;</li>
 *   <li>{@link #delay(Duration)} / {@link #delay(Duration, FaultDecision)}: wait, then go on (or do
 *       another thing);</li>
 *   <li>{@link #hang()}: never answer; the exchange ends when the caller gives up;</li>
 *   <li>{@link #reset()}: drop the connection before any response byte;</li>
 *   <li>{@link #events(EventFault)}: go on, and change the response's server-sent events one by
 *       one (delay, drop, replace, end early, cut);</li>
 *   <li>{@link #wrap(ResponseWrapper)}: go on, and replace the response as a whole (status,
 *       headers, raw body stream).</li>
 * </ul>
 * Every decision but {@code pass} counts as the fault touching the request: the response carries
 * {@code X-Faultline-Fault: <strategy id>} and the log entry records it.
 */
public sealed interface FaultDecision {

  /** Go on; {@code headers} are added to the caller's response (e.g. rate-limit counters). */
  record Pass(Headers headers) implements FaultDecision {
    public Pass {
      Objects.requireNonNull(headers, "headers");
    }
  }

  /** Answer with {@code error}: its status, its body as the provider shapes errors, its headers. */
  record Respond(ApiError error) implements FaultDecision {
    public Respond {
      Objects.requireNonNull(error, "error");
    }
  }

  /** Wait {@code delay} without holding a thread, then do {@code then}. */
  record Delay(Duration delay, FaultDecision then) implements FaultDecision {
    public Delay {
      Objects.requireNonNull(delay, "delay");
      Objects.requireNonNull(then, "then");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative: " + delay);
      }
    }
  }

  /** Never answer. No thread is held: the caller's own timeout ends the exchange. */
  record Hang() implements FaultDecision {
  }

  /** Close the caller's connection without a response. */
  record Reset() implements FaultDecision {
  }

  /** Go on, then send the response {@code wrapper} makes of the real one. */
  record Wrap(ResponseWrapper wrapper) implements FaultDecision {
    public Wrap {
      Objects.requireNonNull(wrapper, "wrapper");
    }
  }

  /** Go on, then pass each event of a streamed response through {@code fault}. */
  record Events(EventFault fault) implements FaultDecision {
    public Events {
      Objects.requireNonNull(fault, "fault");
    }
  }

  static FaultDecision pass() {
    return new Pass(Headers.empty());
  }

  /** Go on, adding {@code headers} to the response (the fault does not count as touching it). */
  static FaultDecision pass(Headers headers) {
    return new Pass(headers);
  }

  static FaultDecision error(ApiError error) {
    return new Respond(error);
  }

  static FaultDecision delay(Duration delay) {
    return new Delay(delay, pass());
  }

  static FaultDecision delay(Duration delay, FaultDecision then) {
    return new Delay(delay, then);
  }

  static FaultDecision hang() {
    return new Hang();
  }

  static FaultDecision reset() {
    return new Reset();
  }

  static FaultDecision wrap(ResponseWrapper wrapper) {
    return new Wrap(wrapper);
  }

  static FaultDecision events(EventFault fault) {
    return new Events(fault);
  }

  /** Whether this decision changes anything about the request. */
  default boolean touches() {
    return !(this instanceof Pass);
  }
}
