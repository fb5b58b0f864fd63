package dev.faultline.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.plugins.PluginHost;
import dev.faultline.proxy.ProxyException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented boundaries of a proxy's {@code faults}, with the host's own upstream-timeout
 * entry (an empty plugin folder: no plugin strategy is needed for these).
 */
class FaultEntriesTest {

  private static final Instant NOW = Instant.parse("2025-05-01T10:00:00Z");
  @TempDir
  static Path noPlugins;
  private static Vertx vertx;
  private static FaultCatalog catalog;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    catalog = new FaultCatalog(PluginHost.start(vertx, noPlugins).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS));
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void timeoutSecIsAboveZeroAndAtMostAnHourInMilliseconds() {
    assertEquals(3_600_000L, timeoutMs(3600));
    assertEquals(1L, timeoutMs(0.0001), "a sliver of a second is still 1 ms, never 0");
    assertEquals(1500L, timeoutMs(1.5));
    assertRefused(new JsonObject().put("timeout_sec", 0), "faults.timeout_sec", "above 0, at most 3600");
    assertRefused(new JsonObject().put("timeout_sec", 3600.001), "faults.timeout_sec", "above 0, at most 3600");
    assertRefused(new JsonObject().put("timeout_sec", "5"), "faults.timeout_sec", "above 0, at most 3600");
    assertEquals(List.of(), FaultEntries.parse(new JsonObject(), catalog, NOW), "an empty shorthand is no faults");
    assertEquals(List.of(), FaultEntries.parse(null, catalog, NOW));
  }

  @Test
  void rateIsFromZeroToOneBothIncluded() {
    assertRefused(entry(-0.0001), "faults[0].rate", "from 0 to 1");
    assertRefused(entry(1.0001), "faults[0].rate", "from 0 to 1");
    assertRefused(entry("1"), "faults[0].rate", "from 0 to 1");
    // 0 and 1 pass the range check; the upstream timeout then takes only 1 (it is a setting, not sampled).
    assertRefused(entry(0), "faults[0].rate", "takes no rate or schedule");
    assertEquals(1.0, FaultEntries.parse(entry(1), catalog, NOW).get(0).rate());
  }

  @Test
  void entriesAreRefusedNamingTheirPlace() {
    assertRefused("all", "faults", "must be an array");
    assertRefused(new JsonObject().put("timeout", 5), "faults.timeout", "unknown field");
    assertRefused(new JsonArray().add("x"), "faults[0]", "must be an object");
    assertRefused(new JsonArray().add(new JsonObject().put("strategy", "nope")), "faults[0].strategy",
        "unknown fault strategy \"nope\"");
    assertRefused(new JsonArray().add(new JsonObject().put("strategy", " ")), "faults[0].strategy", "required");
    JsonObject timeout = new JsonObject().put("strategy", "upstream-timeout").put("params", new JsonObject()
        .put("ms", 10));
    assertRefused(new JsonArray().add(timeout).add(timeout.copy()), "faults", "at most one upstream-timeout");
    assertRefused(new JsonArray().add(timeout.copy().put("schedule", new JsonObject().put("next_requests", 1))),
        "faults[0].schedule", "takes no rate or schedule");
    assertRefused(new JsonArray().add(timeout.copy().put("params", 5)), "faults[0].params", "an object");
    assertRefused(new JsonArray().add(timeout.copy().put("params", new JsonObject().put("ms", 0))),
        "faults[0].params.ms", "");
  }

  private static long timeoutMs(double seconds) {
    List<FaultEntry> entries = FaultEntries.parse(new JsonObject().put("timeout_sec", seconds), catalog, NOW);
    assertEquals(1, entries.size());
    assertEquals("upstream-timeout", entries.get(0).strategy());
    return entries.get(0).params().getLong("ms");
  }

  private static JsonArray entry(Object rate) {
    return new JsonArray().add(new JsonObject().put("strategy", "upstream-timeout").put("rate", rate)
        .put("params", new JsonObject().put("ms", 100)));
  }

  private static void assertRefused(Object faults, String field, String part) {
    ProxyException e = assertThrows(ProxyException.class, () -> FaultEntries.parse(faults, catalog, NOW));
    assertEquals(field, e.field());
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
