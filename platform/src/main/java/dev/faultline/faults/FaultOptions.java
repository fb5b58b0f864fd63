package dev.faultline.faults;

import dev.faultline.proxy.Echo;
import dev.faultline.proxy.ProxyBlock;
import dev.faultline.proxy.ProxyException;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * A proxy's {@code fault_options} block: {@code seed} makes its injected faults the same run after
 * run (the same decisions for the same sequence of requests; {@code null}: a new sequence each
 * time the faults are set), and {@code header_override} lets a request force its own faults with
 * the {@code X-Faultline-Fault} header.
 */
record FaultOptions(Long seed, boolean headerOverride) {

  static final String NAME = "fault_options";
  private static final Set<String> FIELDS = Set.of("seed", "header_override");

  static FaultOptions from(Object stored) {
    JsonObject json = stored instanceof JsonObject o ? o : new JsonObject();
    Object seed = json.getValue("seed");
    return new FaultOptions(seed instanceof Number n ? n.longValue() : null,
        !Boolean.FALSE.equals(json.getValue("header_override")));
  }

  JsonObject toJson() {
    return new JsonObject().put("seed", seed).put("header_override", headerOverride);
  }

  /** The block: checked field by field, missing fields at their defaults. */
  static final class Block implements ProxyBlock {

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public Object defaultValue() {
      return new FaultOptions(null, true).toJson();
    }

    @Override
    public Object validate(Object value) {
      if (value == null) {
        return defaultValue();
      }
      if (!(value instanceof JsonObject json)) {
        throw ProxyException.invalid(NAME, "must be an object {\"seed\": 42, \"header_override\": true}");
      }
      for (String key : json.fieldNames()) {
        if (!FIELDS.contains(key)) {
          throw ProxyException.invalid(NAME + "." + key, "unknown field; fault options are seed and header_override");
        }
      }
      Object seed = json.getValue("seed");
      if (seed != null && !(seed instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
          && Math.abs(n.doubleValue()) < 9.0e18)) {
        throw ProxyException.invalid(NAME + ".seed", "must be a whole number (or null for a new sequence each time), "
            + "got " + Echo.quote(seed));
      }
      Object header = json.getValue("header_override");
      if (header != null && !(header instanceof Boolean)) {
        throw ProxyException.invalid(NAME + ".header_override", "must be true or false, got " + Echo.quote(header));
      }
      return from(json).toJson();
    }
  }
}
