package dev.faultline.faults;

import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.FaultParamException;
import dev.faultline.plugin.api.FaultParams;
import dev.faultline.plugin.api.FaultStrategy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * What the host does with a strategy's {@link FaultParam} descriptions: checks the params a user
 * saves against them, and renders them for the dashboard's forms. Host-side, so the plugin API
 * only describes parameters and every strategy is checked by the same rules.
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
          throw new FaultParamException(spec.name(), "required (" + describe(spec) + ")");
        }
        if (spec.defaultValue() != null) {
          values.put(spec.name(), spec.defaultValue());
        }
        continue;
      }
      values.put(spec.name(), checkValue(spec, value));
    }
    FaultParams params = FaultParams.of(values);
    strategy.validate(params);
    return params;
  }

  /** The description a dashboard renders: {@code {"name","type","description","default","min","max","choices","required"}}. */
  static JsonObject toJson(FaultParam param) {
    JsonObject json = new JsonObject()
        .put("name", param.name())
        .put("type", param.type().name().toLowerCase())
        .put("description", param.description())
        .put("required", param.required());
    if (param.defaultValue() != null) {
      json.put("default", param.defaultValue());
    }
    boolean whole = param.type() == FaultParam.Type.INTEGER;
    if (param.min() != null) {
      json.put("min", whole ? (Object) param.min().longValue() : param.min());
    }
    if (param.max() != null) {
      json.put("max", whole ? (Object) param.max().longValue() : param.max());
    }
    if (!param.choices().isEmpty()) {
      json.put("choices", new JsonArray(param.choices()));
    }
    return json;
  }

  private static Object checkValue(FaultParam spec, Object value) {
    Object checked = switch (spec.type()) {
      case INTEGER -> value instanceof Number n && isWhole(n) ? (Object) n.longValue() : null;
      case NUMBER -> value instanceof Number n && Double.isFinite(n.doubleValue()) ? (Object) n.doubleValue() : null;
      case BOOLEAN -> value instanceof Boolean ? value : null;
      case STRING -> value instanceof String ? value : null;
    };
    if (checked == null) {
      throw new FaultParamException(spec.name(), "must be " + describe(spec) + ", got " + quote(value));
    }
    if (checked instanceof Number n && (spec.min() != null && n.doubleValue() < spec.min()
        || spec.max() != null && n.doubleValue() > spec.max())) {
      throw new FaultParamException(spec.name(), "must be " + describe(spec) + ", got " + quote(value));
    }
    if (!spec.choices().isEmpty() && !spec.choices().contains(checked)) {
      throw new FaultParamException(spec.name(), "must be " + describe(spec) + ", got " + quote(value));
    }
    return checked;
  }

  private static boolean isWhole(Number n) {
    if (n instanceof BigInteger big) {
      return big.bitLength() < 64;
    }
    if (n instanceof BigDecimal decimal) {
      return decimal.stripTrailingZeros().scale() <= 0 && decimal.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
    }
    double d = n.doubleValue();
    return Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 9.0e18;
  }

  private static String describe(FaultParam spec) {
    String kind = switch (spec.type()) {
      case INTEGER -> "an integer";
      case NUMBER -> "a number";
      case BOOLEAN -> "true or false";
      case STRING -> spec.choices().isEmpty() ? "a string" : "one of " + String.join(", ", spec.choices());
    };
    if (spec.min() != null && spec.max() != null) {
      return kind + " from " + bound(spec, spec.min()) + " to " + bound(spec, spec.max());
    }
    if (spec.min() != null) {
      return kind + " of at least " + bound(spec, spec.min());
    }
    if (spec.max() != null) {
      return kind + " of at most " + bound(spec, spec.max());
    }
    return kind;
  }

  private static String bound(FaultParam spec, double value) {
    return spec.type() == FaultParam.Type.INTEGER || value == Math.rint(value)
        ? String.valueOf((long) value) : String.valueOf(value);
  }

  private static String quote(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }
}
