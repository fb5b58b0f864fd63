package dev.faultline.plugin.api;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The parameters of one fault entry as a strategy receives them: checked by the host against the
 * strategy's {@link FaultStrategy#params()}, defaults filled in. Immutable.
 */
public final class FaultParams {

  private final JsonObject values;

  private FaultParams(JsonObject values) {
    this.values = values;
  }

  /**
   * Parameters with exactly these values. The host builds them for {@link FaultStrategy#create}
   * after checking what a user saved against {@link FaultStrategy#params()}; a strategy's own tests
   * build them with this or {@link #withDefaults}.
   */
  public static FaultParams of(JsonObject values) {
    return new FaultParams(values == null ? new JsonObject() : values.copy());
  }

  /**
   * {@code given}'s values, and each of {@code specs}' default where {@code given} has none: the
   * values the host passes for an entry that set {@code given}. Nothing is checked here; the host
   * checks types, ranges, choices and required parameters, then calls {@link FaultStrategy#validate}.
   */
  public static FaultParams withDefaults(List<FaultParam> specs, JsonObject given) {
    JsonObject values = given == null ? new JsonObject() : given.copy();
    for (FaultParam spec : specs) {
      if (values.getValue(spec.name()) == null && spec.defaultValue() != null) {
        values.put(spec.name(), spec.defaultValue());
      }
    }
    return new FaultParams(values);
  }

  /** Whether the parameter has a value (given, or by default). */
  public boolean has(String name) {
    return values.getValue(name) != null;
  }

  /** An {@code INTEGER} parameter's value. */
  public long getLong(String name) {
    return ((Number) require(name)).longValue();
  }

  /** An {@code INTEGER} parameter's value, for ranges that fit an int. */
  public int getInt(String name) {
    return ((Number) require(name)).intValue();
  }

  /** A {@code NUMBER} (or {@code INTEGER}) parameter's value. */
  public double getDouble(String name) {
    return ((Number) require(name)).doubleValue();
  }

  public boolean getBoolean(String name) {
    return (Boolean) require(name);
  }

  /** A {@code STRING} parameter's value, or {@code null} when it has none. */
  public String getString(String name) {
    return values.getString(name);
  }

  /** The values as JSON (a copy), defaults included: what the host stores and shows. */
  public JsonObject toJson() {
    return values.copy();
  }

  private Object require(String name) {
    Object value = values.getValue(name);
    if (value == null) {
      throw new IllegalStateException("fault parameter '" + name + "' has no value");
    }
    return value;
  }

  @Override
  public String toString() {
    return values.encode();
  }
}
