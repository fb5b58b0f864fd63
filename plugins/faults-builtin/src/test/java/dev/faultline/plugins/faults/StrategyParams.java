package dev.faultline.plugins.faults;

import dev.faultline.plugin.api.FaultParams;
import dev.faultline.plugin.api.FaultStrategy;
import io.vertx.core.json.JsonObject;

/** The params a strategy gets from the host for an entry that set {@code given}: defaults filled in, then validated. */
final class StrategyParams {

  private StrategyParams() {
  }

  static FaultParams of(FaultStrategy strategy, JsonObject given) {
    FaultParams params = FaultParams.withDefaults(strategy.params(), given);
    strategy.validate(params);
    return params;
  }
}
