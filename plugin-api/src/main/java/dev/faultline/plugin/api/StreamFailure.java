package dev.faultline.plugin.api;

import java.util.List;

/**
 * How one stream of a {@link Dialect} reports an error mid-way. Stateful and for one stream only:
 * it is shown the events that went out ({@link #seen}), because some APIs number their events or
 * repeat the response's id in the failure.
 *
 * @since 0.2.0
 */
public interface StreamFailure {

  /** An event the caller received. */
  default void seen(SseEvent event) {
  }

  /** The events that report the error; the stream ends after them. */
  List<SseEvent> events();
}
