package dev.faultline.plugins.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.plugin.api.ProviderOptionException;
import dev.faultline.plugin.api.ProxyRequest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pf4j.Extension;

@ExtendWith(VertxExtension.class)
class MockProviderTest {

  private final MockProvider provider = new MockProvider();

  @Test
  void describesItself() {
    assertEquals("mock", provider.id());
    assertFalse(provider.description().isBlank());
    assertTrue(provider.defaultUpstream().isEmpty(), "the mock needs no upstream");
    assertNotNull(MockProvider.class.getAnnotation(Extension.class), "PF4J finds it through @Extension");
  }

  @Test
  void isListedInTheExtensionIndex() throws IOException {
    boolean listed = false;
    for (URL index : Collections.list(getClass().getClassLoader().getResources("META-INF/extensions.idx"))) {
      try (InputStream in = index.openStream()) {
        listed |= new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
            .anyMatch(line -> line.trim().equals(MockProvider.class.getName()));
      }
    }
    assertTrue(listed, "PF4J's annotation processor lists MockProvider in META-INF/extensions.idx");
  }

  @Test
  void acceptsValidOptions(Vertx vertx) {
    JsonObject options = new JsonObject().put("tokens_per_second", 12.5).put("completion_tokens", 8)
        .put("embedding_dimensions", 3072);
    assertNotNull(provider.open(MockClient.context(vertx, options)));
    assertEquals(new MockOptions(12.5, 8, 3072), MockOptions.from(options));
    assertEquals(MockOptions.defaults(), MockOptions.from(new JsonObject()));
    assertEquals(MockOptions.defaults(), MockOptions.from(new JsonObject().putNull("tokens_per_second")));
  }

  static Stream<Arguments> badOptions() {
    return Stream.of(
        Arguments.of("tokens_per_second", "fast"),
        Arguments.of("tokens_per_second", -1),
        Arguments.of("tokens_per_second", 0.001),
        Arguments.of("completion_tokens", 0),
        Arguments.of("completion_tokens", 2.5),
        Arguments.of("completion_tokens", "24"),
        Arguments.of("embedding_dimensions", 0),
        Arguments.of("embedding_dimensions", 100_000),
        Arguments.of("embedding_dimension", 256));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("badOptions")
  void refusesABadOptionNamingIt(String name, Object value, Vertx vertx) {
    JsonObject options = new JsonObject().put(name, value);
    ProviderOptionException error = assertThrows(ProviderOptionException.class,
        () -> provider.open(MockClient.context(vertx, options)), "open() must refuse " + options.encode());
    if (MockOptions.NAMES.contains(name)) {
      assertEquals("options." + name, error.field(), error.getMessage());
    } else {
      assertEquals("options", error.field(), "an unknown name is the options object's fault");
      assertTrue(error.getMessage().contains("'" + name + "'"), "the message names the option: " + error.getMessage());
    }
  }

  @Test
  void normalizeDropsFieldsThatDoNotChangeTheAnswer() {
    JsonObject body = new JsonObject().put("model", "gpt-4o").put("messages", new JsonArray()).put("user", "u-1")
        .put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
    ProxyRequest request = MockClient.request("POST", "/v1/chat/completions", body);
    JsonObject normalized = provider.normalize(request);
    assertEquals(new JsonObject().put("model", "gpt-4o").put("messages", new JsonArray()).put("stream", true), normalized);
    assertTrue(body.containsKey("user"), "the request itself is left alone");
  }
}
