package dev.faultline.faults;

import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.Headers;
import java.util.ArrayList;
import java.util.List;

/**
 * What the faults decided for one request, merged: entries are asked in order; delays add up,
 * response changes stack, and the first answer (error, hang, reset) ends the asking.
 */
final class FaultPlan {

  private final List<String> touched = new ArrayList<>(1);
  private final List<FaultDecision> responseChanges = new ArrayList<>(1);
  private final Headers.Builder headers = Headers.builder();
  private long delayMillis;
  private FaultDecision answer;

  /** Adds {@code strategy}'s decision; returns true when it answers, so no later entry is asked. */
  boolean add(String strategy, FaultDecision decision) {
    if (decision instanceof FaultDecision.Pass pass) {
      pass.headers().forEach(headers::set);
      return false;
    }
    if (!touched.contains(strategy)) {
      touched.add(strategy);
    }
    if (decision instanceof FaultDecision.Delay delay) {
      delayMillis += delay.delay().toMillis();
      return add(strategy, delay.then());
    }
    if (decision instanceof FaultDecision.Wrap || decision instanceof FaultDecision.Events) {
      responseChanges.add(decision);
      return false;
    }
    answer = decision;
    return true;
  }

  /** The strategies that changed something, in order. */
  List<String> touched() {
    return touched;
  }

  /** Response headers a passing fault adds (rate-limit counters). */
  Headers headers() {
    return headers.build();
  }

  long delayMillis() {
    return delayMillis;
  }

  /** The error, hang or reset that answers instead of the upstream; {@code null} to go on. */
  FaultDecision answer() {
    return answer;
  }

  /** Wrap and Events decisions, applied to the response in order. */
  List<FaultDecision> responseChanges() {
    return responseChanges;
  }
}
