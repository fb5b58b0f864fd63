package dev.faultline.faults;

import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.FaultParamException;
import dev.faultline.plugin.api.FaultParams;
import dev.faultline.plugin.api.FaultStrategy;
import dev.faultline.plugins.ParamRules;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What the host does with a strategy's {@link FaultParam} descriptions: checks the params a user
 * saves against them (each value by {@link ParamRules}, shared with the providers' options), and
 * renders them for the dashboard's forms.
 */
final class FaultParamCheck {

  private FaultParamCheck() {
  }

  /**
   * Checks {@code raw} against {@code strategy}'s {@link FaultStrategy#params()} and then its
   * {@link FaultStrategy#validate}: unknown names, wrong types, values out of range or not among
   * the choices, and missing required ones are refused.
   *
   * @throws FaultParamException naming the parameter at fault
   */
  static FaultParams check(FaultStrategy strategy, JsonObject raw) {
    List<FaultParam> specs = strategy.params();
    JsonObject given = raw == null ? new JsonObject() : raw;
    for (String name : given.fieldNames()) {
      if (specs.stream().noneMatch(p -> p.name().equals(name))) {
        throw new FaultParamException(name, "unknown parameter of '" + strategy.id() + "'; it has "
            + (specs.isEmpty() ? "none" : String.join(", ", specs.stream().map(FaultParam::name).toList())));
      }
    }
    JsonObject values = new JsonObject();
    for (FaultParam spec : specs) {
      Object value = given.getValue(spec.name());
      if (value == null) {
        if (spec.required()) {
          throw new FaultParamException(spec.name(), "required (" + ParamRules.describe(spec) + ")");
        }
        if (spec.defaultValue() != null) {
          values.put(spec.name(), spec.defaultValue());
        }
        continue;
      }
      values.put(spec.name(), ParamRules.checkValue(spec, value));
    }
    FaultParams params = FaultParams.of(values);
    strategy.validate(params);
    return params;
  }

  /** The description a dashboard renders (see {@link ParamRules#toJson}). */
  static JsonObject toJson(FaultParam param) {
    return ParamRules.toJson(param);
  }
}
