package dev.faultline.plugin.api;

import java.util.List;
import java.util.Objects;

/**
 * One parameter of a {@link FaultStrategy} or one option of a {@link Provider} (see
 * {@link Provider#options()}), described well enough for a dashboard to render a form field and
 * for the host to check a value on its own (the host does both).
 *
 * <pre>{@code
 * FaultParam.integer("status", "HTTP status to answer with").withDefault(500).withRange(400, 599)
 * FaultParam.choice("distribution", "shape of the delay", "fixed", "uniform").withDefault("fixed")
 * FaultParam.string("message", "error text; the status's usual text when empty")
 * }</pre>
 *
 * @param name         the key in an entry's {@code params}, or in a proxy's {@code options}
 * @param type         the JSON type of the value
 * @param description  one line for people
 * @param defaultValue the value when none is set, or {@code null} for none
 * @param min          smallest allowed number (inclusive), or {@code null}
 * @param max          largest allowed number (inclusive), or {@code null}
 * @param choices      the only allowed strings, or empty for any
 * @param required     whether it must be set
 */
public record FaultParam(String name, Type type, String description, Object defaultValue, Double min, Double max,
                         List<String> choices, boolean required) {

  /** The JSON type of a parameter value. */
  public enum Type {
    /** A whole number. */
    INTEGER,
    /** Any number. */
    NUMBER,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** Text; with {@link #choices}, one of them. */
    STRING
  }

  public FaultParam {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    description = description == null ? "" : description;
    choices = choices == null ? List.of() : List.copyOf(choices);
  }

  /** An optional whole number without default. */
  public static FaultParam integer(String name, String description) {
    return new FaultParam(name, Type.INTEGER, description, null, null, null, List.of(), false);
  }

  /** An optional number without default. */
  public static FaultParam number(String name, String description) {
    return new FaultParam(name, Type.NUMBER, description, null, null, null, List.of(), false);
  }

  /** An optional boolean without default. */
  public static FaultParam bool(String name, String description) {
    return new FaultParam(name, Type.BOOLEAN, description, null, null, null, List.of(), false);
  }

  /** An optional string without default. */
  public static FaultParam string(String name, String description) {
    return new FaultParam(name, Type.STRING, description, null, null, null, List.of(), false);
  }

  /** An optional string that must be one of {@code choices}. */
  public static FaultParam choice(String name, String description, String... choices) {
    return new FaultParam(name, Type.STRING, description, null, null, null, List.of(choices), false);
  }

  /** This parameter with a default value (of its type). */
  public FaultParam withDefault(Object value) {
    return new FaultParam(name, type, description, value, min, max, choices, false);
  }

  /** This parameter limited to {@code [min, max]}. */
  public FaultParam withRange(double min, double max) {
    return new FaultParam(name, type, description, defaultValue, min, max, choices, required);
  }

  /** This parameter, which every entry must set. */
  public FaultParam asRequired() {
    return new FaultParam(name, type, description, null, min, max, choices, true);
  }
}
