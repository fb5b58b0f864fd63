package dev.faultline.plugin.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable, ordered list of HTTP header fields. Names compare case-insensitively, values
 * keep their order, and a name may repeat (as {@code set-cookie} does).
 */
public final class Headers {

  private static final Headers EMPTY = new Headers(List.of());
  private static final List<String> HOP_BY_HOP = List.of(
      "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
      "content-length");

  private final List<Map.Entry<String, String>> fields;

  private Headers(List<Map.Entry<String, String>> fields) {
    this.fields = fields;
  }

  /** No header at all. */
  public static Headers empty() {
    return EMPTY;
  }

  /** Headers from alternating names and values: {@code of("content-type", "application/json")}. */
  public static Headers of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs");
    }
    Builder builder = builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      builder.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return builder.build();
  }

  /** A copy of any iterable of name/value pairs, such as a Vert.x {@code MultiMap}. */
  public static Headers copyOf(Iterable<Map.Entry<String, String>> source) {
    Builder builder = builder();
    source.forEach(e -> builder.add(e.getKey(), e.getValue()));
    return builder.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The first value of {@code name}, if present. */
  public Optional<String> get(String name) {
    for (Map.Entry<String, String> field : fields) {
      if (field.getKey().equalsIgnoreCase(name)) {
        return Optional.of(field.getValue());
      }
    }
    return Optional.empty();
  }

  /** Every value of {@code name}, in order. */
  public List<String> getAll(String name) {
    List<String> values = new ArrayList<>(1);
    for (Map.Entry<String, String> field : fields) {
      if (field.getKey().equalsIgnoreCase(name)) {
        values.add(field.getValue());
      }
    }
    return values;
  }

  public boolean contains(String name) {
    return get(name).isPresent();
  }

  /**
   * Whether {@code name} (in any case) describes one connection rather than the message: the
   * hop-by-hop fields of RFC 9110 §7.6.1, and {@code content-length}, which each hop sets for the
   * body it sends. A proxy passes none of them on. Compared in place, not lower-cased first: this
   * runs for every header of every request and answer.
   */
  public static boolean isHopByHop(String name) {
    for (String hop : HOP_BY_HOP) {
      if (hop.length() == name.length() && hop.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** The distinct names, in first-seen order, as they were spelled. */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    fields.forEach(f -> names.add(f.getKey()));
    return names;
  }

  /** Calls {@code action} for every field, in order. */
  public void forEach(BiConsumer<String, String> action) {
    fields.forEach(f -> action.accept(f.getKey(), f.getValue()));
  }

  /** A copy with every value of {@code name} replaced by {@code value}. */
  public Headers with(String name, String value) {
    return toBuilder().remove(name).add(name, value).build();
  }

  /** A copy without any value of the given names. */
  public Headers without(String... names) {
    Builder builder = toBuilder();
    for (String name : names) {
      builder.remove(name);
    }
    return builder.build();
  }

  public Builder toBuilder() {
    Builder builder = builder();
    builder.fields.addAll(fields);
    return builder;
  }

  public int size() {
    return fields.size();
  }

  @Override
  public String toString() {
    return fields.toString();
  }

  /** Collects fields; {@link #build()} freezes them. */
  public static final class Builder {
    private final List<Map.Entry<String, String>> fields = new ArrayList<>();

    private Builder() {
    }

    public Builder add(String name, String value) {
      fields.add(Map.entry(name, value));
      return this;
    }

    public Builder set(String name, String value) {
      return remove(name).add(name, value);
    }

    public Builder remove(String name) {
      fields.removeIf(f -> f.getKey().equalsIgnoreCase(name));
      return this;
    }

    public Headers build() {
      return fields.isEmpty() ? EMPTY : new Headers(Collections.unmodifiableList(new ArrayList<>(fields)));
    }
  }
}
