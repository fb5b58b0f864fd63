package dev.faultline.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.plugin.api.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** The price table: the shipped file, how names match, the user's overrides, and refusals naming the entry. */
class PriceTableTest {

  @TempDir
  Path dir;

  @Test
  void everyShippedEntryIsLoadedAsWritten() throws IOException {
    Map<String, Map<String, Object>> shipped = shippedModels();
    PriceTable table = PriceTable.load(null);
    assertTrue(shipped.keySet().containsAll(java.util.List.of("gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini",
        "gpt-4.1-nano", "o3", "o4-mini", "gpt-3.5-turbo", "text-embedding-3-small")), "the common OpenAI models");
    shipped.forEach((model, prices) -> {
      PriceTable.Price price = table.find("openai", model).orElseThrow(() -> new AssertionError(model + " missing"));
      double input = ((Number) prices.get("input")).doubleValue();
      assertEquals(input, price.input(), model);
      assertEquals(((Number) prices.get("output")).doubleValue(), price.output(), model);
      assertEquals(prices.containsKey("cached_input") ? ((Number) prices.get("cached_input")).doubleValue() : input,
          price.cachedInput(), model + ": cached input defaults to input");
    });
  }

  @Test
  void datedSnapshotsMapToTheirBaseEntryUnlessTheyHaveTheirOwn() throws IOException {
    PriceTable table = PriceTable.load(null);
    Map<String, Map<String, Object>> shipped = shippedModels();
    assertEquals(table.find("openai", "gpt-4o-mini"), table.find("openai", "gpt-4o-mini-2024-07-18"));
    assertEquals(table.find("openai", "gpt-3.5-turbo"), table.find("openai", "gpt-3.5-turbo-0125"));
    assertEquals(table.find("anthropic", "claude-3-5-haiku"), table.find("anthropic", "claude-3-5-haiku-20241022"));
    assertEquals(((Number) shipped.get("gpt-4o-2024-05-13").get("input")).doubleValue(),
        table.find("openai", "gpt-4o-2024-05-13").orElseThrow().input(), "a snapshot with its own price keeps it");
    assertEquals(Optional.empty(), table.find("openai", "gpt-4o-mini-custom"));
    assertEquals(Optional.empty(), table.find("openai", null));
  }

  @Test
  void theUsersFileReplacesAddsAndPricesPerProvider() throws IOException {
    Path mine = Files.writeString(dir.resolve("prices.yaml"), """
        models:
          gpt-4o: {input: 1, output: 2}
          my-llama: {input: 0.2, output: 0.4, as_of: 2025-01-01}
          mock/gpt-4o-mini: {input: 0, output: 0}
        """);
    PriceTable table = PriceTable.load(mine);
    PriceTable builtIn = PriceTable.load(null);
    assertEquals(new PriceTable.Price(1, 1, 2), table.find("openai", "gpt-4o").orElseThrow());
    assertEquals(new PriceTable.Price(0.2, 0.2, 0.4), table.find("openai", "my-llama").orElseThrow());
    assertEquals(new PriceTable.Price(0, 0, 0), table.find("mock", "gpt-4o-mini-2024-07-18").orElseThrow(),
        "a provider/model entry wins for that provider");
    assertEquals(builtIn.find("openai", "gpt-4o-mini"), table.find("openai", "gpt-4o-mini"), "and only for it");
    assertEquals(builtIn.find("openai", "o3"), table.find("openai", "o3"), "entries not given stay");
  }

  @Test
  void costCountsCachedInputAtItsOwnPrice() {
    PriceTable.Price price = new PriceTable.Price(2.5, 1.25, 10);
    assertEquals((800 * 2.5 + 200 * 1.25 + 300 * 10) / 1e6, price.cost(new Usage(1000, 300, 1300, 200)), 1e-15);
    assertEquals(0, new PriceTable.Price(0, 0, 0).cost(new Usage(5, 5, 10, 0)));
  }

  @Test
  void aBadFileIsRefusedNamingTheEntry() throws IOException {
    assertRefused("models:\n  gpt-4o: {input: -1, output: 2}\n", "models.gpt-4o.input");
    assertRefused("models:\n  gpt-4o: {input: 1}\n", "models.gpt-4o.output: required");
    assertRefused("models:\n  gpt-4o: {input: 1, output: two}\n", "models.gpt-4o.output");
    assertRefused("models:\n  gpt-4o: {input: 1, output: 2, currency: EUR}\n", "models.gpt-4o.currency");
    assertRefused("models:\n  gpt-4o: 3\n", "models.gpt-4o");
    assertRefused("models: [a, b]\n", "models");
    assertRefused("models:\n  x: {input: 1, output: 2\n", "cannot read");
  }

  private void assertRefused(String yaml, String expected) throws IOException {
    Path file = Files.writeString(dir.resolve("bad.yaml"), yaml);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PriceTable.load(file));
    assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().contains(expected), e.getMessage());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> shippedModels() throws IOException {
    Map<String, Object> yaml = new Yaml().load(Files.readString(Path.of("../config/prices.yaml")));
    return (Map<String, Map<String, Object>>) yaml.get("models");
  }
}
