package dev.faultline.faults;

import dev.faultline.plugin.api.FaultParams;
import io.vertx.core.json.JsonObject;

/**
 * One fault of a proxy, checked: which strategy, how often, with what parameters, and when.
 *
 * @param rate     the share of requests it applies to, from 0 to 1
 * @param schedule when it applies; {@code null} for always
 */
record FaultEntry(String strategy, double rate, FaultParams params, Schedule schedule) {

  boolean isUpstreamTimeout() {
    return UpstreamTimeout.ID.equals(strategy);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("strategy", strategy).put("rate", rate).put("params", params.toJson());
    if (schedule != null) {
      json.put("schedule", schedule.toJson());
    }
    return json;
  }
}
