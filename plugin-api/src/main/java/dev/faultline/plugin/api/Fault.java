package dev.faultline.plugin.api;

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
}
