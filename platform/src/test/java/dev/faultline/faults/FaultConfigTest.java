package dev.faultline.faults;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static dev.faultline.faults.FaultTests.CHAT;
import static dev.faultline.faults.FaultTests.chat;
import static dev.faultline.faults.FaultTests.fault;
import static dev.faultline.faults.FaultTests.faults;
import static dev.faultline.faults.FaultTests.getFaults;
import static dev.faultline.faults.FaultTests.putFaults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxy's faults through the admin API: stored and shown, the shorthand converted, bad input
 * refused naming the field with nothing stored, seeded sequences reproducible and within their
 * rate, and schedules that open and close.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FaultConfigTest {

  @TempDir
  static Path dataDir;

  static Faultline faultline;
  static WebClient client;

  @BeforeAll
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  static void start(Vertx vertx) {
    faultline = await(FaultlineHarness.start(vertx, dataDir));
    client = FaultlineHarness.client(vertx);
  }

  @AfterAll
  static void stop() {
    await(faultline.stop());
  }

  @Test
  void putStoresTheFaultsWithDefaultsAndGetShowsThem() {
    JsonObject proxy = FaultTests.mockProxy(client, faultline, "config-put", new JsonArray(), null);
    assertEquals(new JsonObject().put("seed", null).put("header_override", true), proxy.getJsonObject("fault_options"));
    assertEquals(new JsonObject().put("allow", new JsonArray()).put("block", new JsonArray()), proxy.getJsonObject("ip"));
    int port = proxy.getInteger("port");
    assertEquals(200, chat(client, port, CHAT).statusCode());

    JsonArray stored = putFaults(client, faultline, proxy.getString("id"),
        faults(new JsonObject().put("strategy", "http-error").put("params", new JsonObject().put("status", 503))), 200);

    JsonArray expected = new JsonArray().add(new JsonObject().put("strategy", "http-error").put("rate", 1.0)
        .put("params", new JsonObject().put("status", 503)));
    assertEquals(expected, stored);
    assertEquals(expected, getFaults(client, faultline, proxy.getString("id")));
    assertEquals(503, chat(client, port, CHAT).statusCode(), "effective on the next request, no restart");
    putFaults(client, faultline, proxy.getString("id"), new JsonArray(), 200);
    assertEquals(200, chat(client, port, CHAT).statusCode());
  }

  @Test
  void shorthandBecomesEntriesWhoseRatesAreSharesOfAllRequests() {
    JsonObject proxy = FaultTests.mockProxy(client, faultline, "config-shorthand", new JsonArray(), null);

    JsonArray stored = putFaults(client, faultline, proxy.getString("id"), new JsonObject().put("timeout_sec", 5)
        .put("error_rates", new JsonObject().put("429", 0.2).put("500", 0.2)), 200);

    assertEquals(3, stored.size(), stored.encode());
    assertEquals("http-error", stored.getJsonObject(0).getString("strategy"));
    assertEquals(429, stored.getJsonObject(0).getJsonObject("params").getInteger("status"));
    assertEquals(0.2, stored.getJsonObject(0).getDouble("rate"), 1e-12);
    assertEquals(500, stored.getJsonObject(1).getJsonObject("params").getInteger("status"));
    assertEquals(0.25, stored.getJsonObject(1).getDouble("rate"), 1e-12, "0.2 of the 0.8 the first let through");
    assertEquals(new JsonObject().put("strategy", "upstream-timeout").put("rate", 1.0)
        .put("params", new JsonObject().put("ms", 5000)), stored.getJsonObject(2));
  }

  @Test
  void badInputIsRefusedNamingTheFieldAndNothingIsStored() {
    JsonObject proxy = FaultTests.mockProxy(client, faultline, "config-bad",
        faults(fault("latency", 0.5, new JsonObject().put("ms", 10))), null);
    String id = proxy.getString("id");
    JsonArray before = getFaults(client, faultline, id);

    assertRefused(id, faults(new JsonObject().put("strategy", "no-such-fault")), "faults[0].strategy");
    assertRefused(id, faults(fault("http-error", 1.5, new JsonObject())), "faults[0].rate");
    assertRefused(id, faults(fault("latency", 1, new JsonObject()), fault("http-error", -0.1, new JsonObject())),
        "faults[1].rate");
    assertRefused(id, faults(fault("http-error", 1, new JsonObject().put("status", 99))), "faults[0].params.status");
    assertRefused(id, faults(fault("http-error", 1, new JsonObject().put("status", "429"))), "faults[0].params.status");
    assertRefused(id, faults(fault("http-error", 1, new JsonObject().put("colour", "red"))), "faults[0].params.colour");
    assertRefused(id, faults(fault("latency", 1, new JsonObject().put("min_ms", 500).put("max_ms", 100))),
        "faults[0].params.min_ms");
    assertRefused(id, faults(fault("rate-limit", 1, new JsonObject().put("requests_per_minute", 0))),
        "faults[0].params.requests_per_minute");
    assertRefused(id, faults(fault("upstream-timeout", 0.5, new JsonObject().put("ms", 100))), "faults[0].rate");
    assertRefused(id, faults(fault("upstream-timeout", 1, new JsonObject())), "faults[0].params.ms");
    assertRefused(id, faults(fault("latency", 1, new JsonObject()).put("schedule",
        new JsonObject().put("from_sec", 90).put("until_sec", 30))), "faults[0].schedule.until_sec");
    assertRefused(id, faults(fault("latency", 1, new JsonObject()).put("when", "now")), "faults[0].when");
    assertRefused(id, new JsonObject().put("error_rates", new JsonObject().put("429", 0.7).put("500", 0.5)),
        "faults.error_rates.500");
    assertRefused(id, new JsonObject().put("error_rates", new JsonObject().put("200", 0.1)), "faults.error_rates.200");
    assertRefused(id, "\"often\"", "faults");
    HttpResponse<Buffer> patched = await(client.patch(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + id)
        .sendJsonObject(new JsonObject().put("fault_options", new JsonObject().put("seed", "abc"))));
    expect(patched, 400);
    assertEquals("fault_options.seed", patched.bodyAsJsonObject().getJsonObject("error").getString("field"));

    assertEquals(before, getFaults(client, faultline, id), "nothing was stored");
  }

  @Test
  void aSeedMakesTheSequenceReproducibleAndTheRateHolds() {
    JsonArray errors = faults(fault("http-error", 0.25, new JsonObject().put("status", 500)));
    JsonObject seeded = new JsonObject().put("fault_options", new JsonObject().put("seed", 42));
    int first = FaultTests.mockProxy(client, faultline, "seed-a", errors, seeded).getInteger("port");
    int second = FaultTests.mockProxy(client, faultline, "seed-b", errors, seeded.copy()).getInteger("port");
    int other = FaultTests.mockProxy(client, faultline, "seed-c", errors,
        new JsonObject().put("fault_options", new JsonObject().put("seed", 43))).getInteger("port");
    int requests = 400;

    List<Integer> a = statuses(first, requests);
    List<Integer> b = statuses(second, requests);
    List<Integer> c = statuses(other, requests);

    assertEquals(a, b, "the same seed gives the same sequence of faults");
    assertNotEquals(a, c, "another seed gives another sequence");
    long failed = a.stream().filter(s -> s == 500).count();
    // Binomial(400, 0.25): mean 100, standard deviation 8.7; four deviations either way.
    assertTrue(failed >= 65 && failed <= 135, failed + " of " + requests + " failed at rate 0.25");
    assertTrue(a.stream().allMatch(s -> s == 200 || s == 500), a.toString());
  }

  @Test
  void scheduleCoversTheNextRequestsOrAWindowAfterItWasSet() {
    JsonObject proxy = FaultTests.mockProxy(client, faultline, "schedule", faults(fault("http-error", 1,
        new JsonObject().put("status", 503)).put("schedule", new JsonObject().put("next_requests", 3))), null);
    assertEquals(List.of(503, 503, 503, 200, 200), statuses(proxy.getInteger("port"), 5));

    String id = proxy.getString("id");
    Instant now = Instant.now();
    putFaults(client, faultline, id, window(now.minusSeconds(60)), 200);
    assertEquals(503, chat(client, proxy.getInteger("port"), CHAT).statusCode(), "60 s after: inside 30-90");
    putFaults(client, faultline, id, window(now.minusSeconds(100)), 200);
    assertEquals(200, chat(client, proxy.getInteger("port"), CHAT).statusCode(), "100 s after: past 90");
    JsonArray fresh = putFaults(client, faultline, id, window(null), 200);
    assertEquals(200, chat(client, proxy.getInteger("port"), CHAT).statusCode(), "just set: not yet 30");
    Instant setAt = Instant.parse(fresh.getJsonObject(0).getJsonObject("schedule").getString("set_at"));
    assertTrue(!setAt.isBefore(now.minusSeconds(1)) && !setAt.isAfter(Instant.now()), "set_at is when it was set");
  }

  @Test
  void strategiesAreListedWithTheirParametersForForms() {
    JsonArray strategies = expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/faults/strategies")
        .send()), 200).bodyAsJsonArray();
    List<String> ids = new ArrayList<>();
    strategies.forEach(s -> ids.add(((JsonObject) s).getString("id")));
    assertEquals(List.of("upstream-timeout", "connection-reset", "hang", "http-error", "latency", "rate-limit",
        "stream-corrupt", "stream-cut", "stream-drip", "stream-error"), ids);
    JsonObject httpError = strategies.stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("id").equals("http-error")).findFirst().orElseThrow();
    assertEquals(new JsonObject().put("name", "status").put("type", "integer")
            .put("description", "HTTP status to answer with").put("required", false).put("default", 500)
            .put("min", 400L).put("max", 599L),
        httpError.getJsonArray("params").getJsonObject(0));
  }

  private static JsonArray window(Instant setAt) {
    JsonObject schedule = new JsonObject().put("from_sec", 30).put("until_sec", 90);
    if (setAt != null) {
      schedule.put("set_at", setAt.toString());
    }
    return faults(fault("http-error", 1, new JsonObject().put("status", 503)).put("schedule", schedule));
  }

  private static List<Integer> statuses(int port, int count) {
    List<Integer> statuses = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      statuses.add(chat(client, port, CHAT).statusCode());
    }
    return statuses;
  }

  private static void assertRefused(String id, Object body, String field) {
    HttpResponse<Buffer> answer = await(client.put(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + id + "/faults")
        .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(body.toString())));
    expect(answer, 400);
    JsonObject error = answer.bodyAsJsonObject().getJsonObject("error");
    assertEquals(field, error.getString("field"), error.encode());
    assertTrue(error.getString("message").startsWith(field + ": "), error.getString("message"));
  }
}
