package dev.faultline.plugins.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.ProviderOptionException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** What the mock publishes about its options is what it reads: names, defaults and bounds. */
class MockOptionsDescribedTest {

  @Test
  void theDescriptionNamesEveryOptionWithTheDefaultsAndBoundsTheMockApplies() {
    assertEquals(MockOptions.NAMES, new MockProvider().options().stream().map(FaultParam::name).toList());
    MockOptions defaults = MockOptions.from(new JsonObject());
    for (FaultParam option : MockOptions.DESCRIBED) {
      Object fallback = switch (option.name()) {
        case MockOptions.TOKENS_PER_SECOND -> defaults.tokensPerSecond();
        case MockOptions.COMPLETION_TOKENS -> defaults.completionTokens();
        default -> defaults.embeddingDimensions();
      };
      assertEquals(fallback == null ? null : ((Number) fallback).doubleValue(),
          option.defaultValue() == null ? null : ((Number) option.defaultValue()).doubleValue(), option.name());
      MockOptions.from(new JsonObject().put(option.name(), typed(option, option.max())));
      assertThrows(ProviderOptionException.class,
          () -> MockOptions.from(new JsonObject().put(option.name(), typed(option, option.max() + 1))), option.name());
      assertThrows(ProviderOptionException.class,
          () -> MockOptions.from(new JsonObject().put(option.name(), typed(option, option.min() - 1))), option.name());
    }
  }

  /** A bound as the JSON a form would send: a whole number for an integer option. */
  private static Number typed(FaultParam option, double value) {
    return option.type() == FaultParam.Type.INTEGER ? (Number) (long) value : (Number) value;
  }
}
