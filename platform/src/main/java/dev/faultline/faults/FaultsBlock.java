package dev.faultline.faults;

import dev.faultline.proxy.ProxyBlock;
import io.vertx.core.json.JsonArray;
import java.time.Clock;

/** A proxy's {@code faults} block: its fault entries, checked against the strategies loaded now. */
final class FaultsBlock implements ProxyBlock {

  private final FaultCatalog catalog;
  private final Clock clock;

  FaultsBlock(FaultCatalog catalog, Clock clock) {
    this.catalog = catalog;
    this.clock = clock;
  }

  @Override
  public String name() {
    return FaultEntries.FIELD;
  }

  @Override
  public Object defaultValue() {
    return new JsonArray();
  }

  @Override
  public Object validate(Object value) {
    return FaultEntries.toJson(FaultEntries.parse(value, catalog, clock.instant()));
  }
}
