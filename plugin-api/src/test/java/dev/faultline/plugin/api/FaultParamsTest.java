package dev.faultline.plugin.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Describing parameters, and the values a strategy reads. */
class FaultParamsTest {

  private static final List<FaultParam> SPECS = List.of(
      FaultParam.integer("status", "HTTP status").withDefault(500).withRange(400, 599),
      FaultParam.choice("mode", "how", "fixed", "uniform").withDefault("fixed"),
      FaultParam.number("sigma", "spread"),
      FaultParam.bool("on", "switch").withDefault(true));

  @Test
  void builtParamsDescribeThemselves() {
    FaultParam status = SPECS.get(0);
    assertEquals(new FaultParam("status", FaultParam.Type.INTEGER, "HTTP status", 500, 400.0, 599.0, List.of(), false),
        status);
    FaultParam required = FaultParam.string("model", null).asRequired();
    assertTrue(required.required());
    assertNull(required.defaultValue(), "a required parameter has no default");
    assertEquals("", required.description());
    assertFalse(required.withDefault("x").required(), "a default makes it optional again");
    assertEquals(List.of("fixed", "uniform"), SPECS.get(1).choices());
    assertThrows(UnsupportedOperationException.class, () -> SPECS.get(1).choices().add("other"));
  }

  @Test
  void withDefaultsFillsOnlyWhatIsMissing() {
    FaultParams params = FaultParams.withDefaults(SPECS, new JsonObject().put("status", 429).putNull("mode"));
    assertEquals(429, params.getInt("status"));
    assertEquals(429L, params.getLong("status"));
    assertEquals("fixed", params.getString("mode"), "an explicit null takes the default");
    assertTrue(params.getBoolean("on"));
    assertFalse(params.has("sigma"), "no value and no default");
    assertNull(params.getString("sigma"));
    assertThrows(IllegalStateException.class, () -> params.getDouble("sigma"));
    assertEquals(new JsonObject().put("status", 429).put("mode", "fixed").put("on", true), params.toJson());
  }

  @Test
  void ofTakesTheValuesAsTheyAreAndKeepsItsOwnCopy() {
    JsonObject values = new JsonObject().put("sigma", 0.5);
    FaultParams params = FaultParams.of(values);
    values.put("sigma", 9);
    assertEquals(0.5, params.getDouble("sigma"));
    params.toJson().put("sigma", 7);
    assertEquals(0.5, params.getDouble("sigma"), "toJson is a copy too");
    assertEquals("{\"sigma\":0.5}", params.toString());
    assertFalse(FaultParams.of(null).has("sigma"));
  }

  @Test
  void faultParamExceptionNamesTheParameter() {
    FaultParamException error = new FaultParamException("status", "must be from 400 to 599");
    assertEquals("status", error.param());
    assertEquals("must be from 400 to 599", error.getMessage());
  }
}
