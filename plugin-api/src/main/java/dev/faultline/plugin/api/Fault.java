package dev.faultline.plugin.api;

import io.vertx.core.Future;

/**
 * One configured fault of one proxy, made by {@link FaultStrategy#create}. Decides per request.
 *
 * <p>A proxy may serve requests on several event loops at once, so {@link #decide} can be called
 * concurrently: keep any state thread-safe (a {@code synchronized} block around a few field
 * updates is fine). Never block.
 */
@FunctionalInterface
public interface Fault {

  /**
   * What to do with {@code request}. Called only for the requests the entry's rate and schedule
   * select. An exception here is logged and the request is served without this fault.
   */
  FaultDecision decide(FaultRequest request);

  /**
   * What to do with {@code request}, when deciding needs a round trip (a {@link SharedCounter} of a
   * cluster). The host calls this one; by default it answers {@link #decide} at once. A failed
   * future is treated as an exception of {@link #decide}: logged, the request served without
   * this fault.
   */
  default Future<FaultDecision> decideAsync(FaultRequest request) {
    return Future.succeededFuture(decide(request));
  }
}
