package dev.faultline.plugins.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.plugin.api.ProviderOptionException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class AnthropicOptionsTest {

  @Test
  void defaultsTranslateWithA4096TokenDefaultAndTheFirstApiVersion() {
    AnthropicOptions options = AnthropicOptions.from(new JsonObject());
    assertTrue(options.translateChat());
    assertEquals(4096, options.defaultMaxTokens());
    assertEquals("2023-06-01", options.anthropicVersion());
    assertFalse(AnthropicOptions.from(new JsonObject().put("chat_completions", "forward")).translateChat());
  }

  @Test
  void aBadValueIsRefusedNamingTheOption() {
    assertEquals("options.chat_completions", refused(new JsonObject().put("chat_completions", "maybe")).field());
    assertEquals("options.default_max_tokens", refused(new JsonObject().put("default_max_tokens", 0)).field());
    assertEquals("options.anthropic_version", refused(new JsonObject().put("anthropic_version", "2023\r\nx: y")).field());
    assertEquals("upstream", assertThrows(ProviderOptionException.class, () -> Upstream.parse("ftp://x")).field());
  }

  private static ProviderOptionException refused(JsonObject options) {
    return assertThrows(ProviderOptionException.class, () -> AnthropicOptions.from(options));
  }
}
