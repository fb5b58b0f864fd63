package dev.faultline.proxy;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The feature blocks a proxy has, in the order they are shown. */
public final class ProxyBlocks {

  private static final String DEFAULTS = "proxies.defaults";

  private final List<ProxyBlock> blocks;
  /** The blocks every new proxy starts with (setting {@code proxies.defaults}), as configured. */
  private final JsonObject configured;

  /**
   * @param configured blocks that every new proxy starts with (setting {@code proxies.defaults})
   * @throws IllegalArgumentException naming the block or field when one is unknown or invalid
   */
  public ProxyBlocks(List<ProxyBlock> blocks, JsonObject configured) {
    this.blocks = List.copyOf(blocks);
    this.configured = configured.copy();
    for (String name : configured.fieldNames()) {
      if (find(name).isEmpty()) {
        throw new IllegalArgumentException(DEFAULTS + "." + name + ": no such block; the blocks are "
            + blocks.stream().map(ProxyBlock::name).toList());
      }
    }
    try {
      defaults(Set.of());
    } catch (ProxyException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  public List<ProxyBlock> all() {
    return blocks;
  }

  public Optional<ProxyBlock> find(String name) {
    return blocks.stream().filter(b -> b.name().equals(name)).findFirst();
  }

  /**
   * Every block as a new proxy starts with it now. Configured blocks are checked anew each time,
   * since what they mean can depend on the moment (a fault window counts from when it is set)
   * and on the plugins loaded.
   *
   * @param sent the blocks the create request sends itself, which replace these: left at their
   *             built-in defaults, their configured values unchecked
   * @throws ProxyException naming the configured field that is no longer valid
   */
  public JsonObject defaults(Set<String> sent) {
    JsonObject values = new JsonObject();
    for (ProxyBlock block : blocks) {
      Object value = sent.contains(block.name()) ? null : configured.getValue(block.name());
      try {
        values.put(block.name(), value == null ? block.defaultValue() : block.validate(copy(value)));
      } catch (ProxyException e) {
        throw e.under(DEFAULTS);
      }
    }
    return values;
  }

  private static Object copy(Object value) {
    return value instanceof JsonObject o ? o.copy() : value instanceof JsonArray a ? a.copy() : value;
  }

  /** The stored JSON text of a column back to its value; a missing column gets the default. */
  public Object decode(ProxyBlock block, String stored) {
    return stored == null ? block.defaultValue() : Json.decodeValue(stored);
  }
}
