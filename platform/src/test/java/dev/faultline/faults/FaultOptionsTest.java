package dev.faultline.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.proxy.ProxyException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class FaultOptionsTest {

  private final FaultOptions.Block block = new FaultOptions.Block();

  @Test
  void missingFieldsTakeTheirDefaults() {
    JsonObject defaults = new JsonObject().putNull("seed").put("header_override", true);
    assertEquals(defaults, block.validate(null));
    assertEquals(defaults, block.validate(new JsonObject()));
    assertEquals(defaults, block.defaultValue());
    assertEquals(new JsonObject().put("seed", 42L).put("header_override", false),
        block.validate(new JsonObject().put("seed", 42).put("header_override", false)));
    assertEquals(new FaultOptions(-7L, true), FaultOptions.from(new JsonObject().put("seed", -7)));
    assertEquals(new FaultOptions(null, true), FaultOptions.from(null));
  }

  @Test
  void badOptionsAreRefusedNamingTheField() {
    assertRefused("on", "fault_options", "must be an object");
    assertRefused(new JsonObject().put("sed", 1), "fault_options.sed", "unknown field");
    assertRefused(new JsonObject().put("seed", 1.5), "fault_options.seed", "whole number");
    assertRefused(new JsonObject().put("seed", 9.0e18), "fault_options.seed", "whole number");
    assertRefused(new JsonObject().put("seed", "42"), "fault_options.seed", "whole number");
    assertRefused(new JsonObject().put("header_override", "yes"), "fault_options.header_override", "true or false");
  }

  private void assertRefused(Object value, String field, String part) {
    ProxyException e = assertThrows(ProxyException.class, () -> block.validate(value));
    assertEquals(field, e.field());
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
