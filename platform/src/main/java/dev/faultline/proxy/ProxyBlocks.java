package dev.faultline.proxy;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/** The feature blocks a proxy has, in the order they are shown. */
public final class ProxyBlocks {

  private final List<ProxyBlock> blocks;

  public ProxyBlocks(List<ProxyBlock> blocks) {
    this.blocks = List.copyOf(blocks);
  }

  public List<ProxyBlock> all() {
    return blocks;
  }

  public Optional<ProxyBlock> find(String name) {
    return blocks.stream().filter(b -> b.name().equals(name)).findFirst();
  }

  /** Every block at its default value. */
  JsonObject defaults() {
    JsonObject values = new JsonObject();
    blocks.forEach(b -> values.put(b.name(), b.defaultValue()));
    return values;
  }

  /** The stored JSON text of a column back to its value; a missing column gets the default. */
  public Object decode(ProxyBlock block, String stored) {
    return stored == null ? block.defaultValue() : Json.decodeValue(stored);
  }
}
