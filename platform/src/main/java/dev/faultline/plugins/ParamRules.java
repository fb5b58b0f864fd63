package dev.faultline.plugins;

import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.FaultParamException;
import dev.faultline.plugin.api.Provider;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the host does with a plugin's {@link FaultParam} descriptions (a fault strategy's
 * parameters, a provider's options): checks one value against one, and renders one for the
 * dashboard's forms. Host-side, so the plugin API only describes and every plugin is checked by
 * the same rules.
 */
public final class ParamRules {

  private static final Logger LOG = LoggerFactory.getLogger(ParamRules.class);

  private ParamRules() {
  }

  /**
   * What {@code provider} describes of its options; none when describing them fails (a third-party
   * plugin's bug must not stop proxies from being saved, the provider still checks in {@code open}).
   */
  public static List<FaultParam> options(Provider provider) {
    try {
      List<FaultParam> options = provider.options();
      return options == null ? List.of() : options;
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("Provider {} failed to describe its options; they are left to the provider: {}", provider.id(),
          e.toString());
      return List.of();
    }
  }

  /**
   * {@code value} as its description's type ({@code long} for an integer, {@code double} for a
   * number), once it is of that type, in range and among the choices.
   *
   * @throws FaultParamException naming the parameter, saying what it must be and what it got
   */
  public static Object checkValue(FaultParam spec, Object value) {
    Object checked = switch (spec.type()) {
      case INTEGER -> value instanceof Number n && isWhole(n) ? (Object) n.longValue() : null;
      case NUMBER -> value instanceof Number n && Double.isFinite(n.doubleValue()) ? (Object) n.doubleValue() : null;
      case BOOLEAN -> value instanceof Boolean ? value : null;
      case STRING -> value instanceof String ? value : null;
    };
    if (checked == null) {
      throw refused(spec, value);
    }
    if (checked instanceof Number n && (spec.min() != null && n.doubleValue() < spec.min()
        || spec.max() != null && n.doubleValue() > spec.max())) {
      throw refused(spec, value);
    }
    if (!spec.choices().isEmpty() && !spec.choices().contains(checked)) {
      throw refused(spec, value);
    }
    return checked;
  }

  /** The description a dashboard renders: {@code {"name","type","description","default","min","max","choices","required"}}. */
  public static JsonObject toJson(FaultParam param) {
    JsonObject json = new JsonObject()
        .put("name", param.name())
        .put("type", param.type().name().toLowerCase(Locale.ROOT))
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

  /** What a value must be, in words: {@code an integer from 400 to 599}. */
  public static String describe(FaultParam spec) {
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

  private static FaultParamException refused(FaultParam spec, Object value) {
    return new FaultParamException(spec.name(), "must be " + describe(spec) + ", got " + quote(value));
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

  private static String bound(FaultParam spec, double value) {
    return spec.type() == FaultParam.Type.INTEGER || value == Math.rint(value)
        ? String.valueOf((long) value) : String.valueOf(value);
  }

  private static String quote(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }
}
