package dev.faultline.logs;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.logs.LogTesting.entry;
import static dev.faultline.logs.LogTesting.logs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code GET /api/logs}: each filter, cursor paging newest first, and refusals naming the parameter. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogQueryTest {

  /** 300 entries, one a second from T0, cycling through proxies, statuses, models, cache results and faults. */
  private static final long T0 = Instant.parse("2025-03-01T12:00:00Z").toEpochMilli();
  private static final String[] PROXIES = {"prx_a", "prx_b", "prx_c"};
  private static final int[] STATUSES = {200, 200, 429, 500, 201};
  private static final String[] MODELS = {"gpt-4o", "gpt-4o-mini"};
  private static final String[] CACHE = {"HIT", "MISS", null, "BYPASS"};
  private static final String[] FAULTS = {null, null, null, "latency", "http-error", null, null, "stream-cut,latency"};

  @TempDir
  static Path dataDir;

  private static final List<JsonObject> ALL = new ArrayList<>();
  private Faultline faultline;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) {
    faultline = LogTesting.start(vertx, dataDir.resolve("q" + System.nanoTime()));
    client = FaultlineHarness.client(vertx);
    ALL.clear();
    for (int i = 0; i < 300; i++) {
      ALL.add(entry(PROXIES[i % 3], T0 + i * 1000L, STATUSES[i % 5], MODELS[i % 2], CACHE[i % 4], FAULTS[i % 8]));
    }
    LogTesting.insert(faultline.database().file(), ALL);
  }

  @AfterEach
  void stop() {
    await(faultline.stop());
  }

  @Test
  void eachFilterReturnsExactlyTheMatchingEntriesNewestFirst() {
    check("proxy=prx_b", e -> e.getString("proxy_id").equals("prx_b"));
    check("status=429", e -> e.getInteger("status") == 429);
    check("status=5xx,201", e -> e.getInteger("status") >= 500 || e.getInteger("status") == 201);
    check("model=gpt-4o-mini", e -> e.getString("model").equals("gpt-4o-mini"));
    check("cache=hit", e -> "HIT".equals(e.getString("cache_status")));
    check("cache=none", e -> e.getString("cache_status") == null);
    // A request several faults touched is found by each of them.
    check("fault=latency", e -> e.getString("fault") != null
        && List.of(e.getString("fault").split(",")).contains("latency"));
    check("fault=stream-cut", e -> "stream-cut,latency".equals(e.getString("fault")));
    check("fault=any", e -> e.getString("fault") != null);
    check("fault=none", e -> e.getString("fault") == null);
    check("from=" + Instant.ofEpochMilli(T0 + 100_000) + "&to=" + (T0 + 150_000),
        e -> ts(e) >= T0 + 100_000 && ts(e) < T0 + 150_000);
    check("proxy=prx_a&status=2xx&model=gpt-4o&cache=HIT&fault=none",
        e -> e.getString("proxy_id").equals("prx_a") && e.getInteger("status") / 100 == 2
            && e.getString("model").equals("gpt-4o") && "HIT".equals(e.getString("cache_status"))
            && e.getString("fault") == null);
  }

  @Test
  void theCursorPagesThroughEveryEntryOnceNewestFirst() {
    List<JsonObject> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = logs(client, faultline, "status=2xx&limit=70" + (cursor == null ? "" : "&cursor=" + cursor));
      page.getJsonArray("entries").forEach(e -> seen.add((JsonObject) e));
      cursor = page.getString("next_cursor");
      pages++;
      assertTrue(pages < 10, "paging does not end");
    } while (cursor != null);

    List<Long> expected = ALL.stream().filter(e -> e.getInteger("status") / 100 == 2).map(LogQueryTest::ts)
        .sorted((a, b) -> Long.compare(b, a)).toList();
    assertEquals(expected, seen.stream().map(LogQueryTest::ts).toList(), "every match once, newest first");
    assertEquals(3, pages, "180 entries: pages of 70, 70 and 40, the short one ends the paging");
    Set<Long> ids = new HashSet<>();
    seen.forEach(e -> assertTrue(ids.add(e.getLong("id")), "seen twice: " + e));
  }

  @Test
  void entriesOfTheSameMillisecondArePagedWithoutLossOrRepeat() {
    List<JsonObject> same = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      same.add(entry("prx_same", T0, 200, "m", null, null));
    }
    LogTesting.insert(faultline.database().file(), same);
    Set<String> ids = new HashSet<>();
    String cursor = null;
    do {
      JsonObject page = logs(client, faultline, "proxy=prx_same&limit=10" + (cursor == null ? "" : "&cursor=" + cursor));
      page.getJsonArray("entries").forEach(e -> assertTrue(ids.add(((JsonObject) e).getString("request_id"))));
      cursor = page.getString("next_cursor");
    } while (cursor != null);
    assertEquals(25, ids.size());
  }

  @Test
  void aLastPageHasNoCursor() {
    JsonObject page = logs(client, faultline, "proxy=prx_a&status=429");
    assertEquals(ALL.stream().filter(e -> e.getString("proxy_id").equals("prx_a") && e.getInteger("status") == 429)
        .count(), page.getJsonArray("entries").size());
    assertNull(page.getValue("next_cursor"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "colour=red       | colour",
      "status=200x      | status",
      "status=99        | status",
      "status=600       | status",
      "cache=warm       | cache",
      "limit=0          | limit",
      "limit=1001       | limit",
      "limit=ten        | limit",
      "cursor=abc       | cursor",
      "from=yesterday   | from",
      "from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z | to",
      "export=xlsx      | export",
      "proxy=a&proxy=b  | proxy",
      "fault=latnecy    | fault"})
  void badParametersAreRefusedNamingThem(String query, String field) {
    JsonObject error = await(client.get(faultline.adminPort(), "127.0.0.1", "/api/logs?" + query).send()
        .map(r -> FaultlineHarness.expect(r, 400).bodyAsJsonObject())).getJsonObject("error");
    assertEquals(field, error.getString("field"), error.encode());
    assertTrue(error.getString("message").startsWith(field + ": "), error.encode());
  }

  private void check(String query, Predicate<JsonObject> filter) {
    List<Long> expected = ALL.stream().filter(filter).map(LogQueryTest::ts).sorted((a, b) -> Long.compare(b, a))
        .toList();
    assertTrue(!expected.isEmpty() && expected.size() < ALL.size(), "a filter that tells something: " + query);
    List<Long> got = logs(client, faultline, query + "&limit=1000").getJsonArray("entries").stream()
        .map(e -> ts((JsonObject) e)).toList();
    assertEquals(expected, got, query);
  }

  private static long ts(JsonObject entry) {
    return Instant.parse(entry.getString("ts")).toEpochMilli();
  }
}
