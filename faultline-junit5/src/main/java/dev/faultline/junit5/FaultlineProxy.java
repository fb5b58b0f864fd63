package dev.faultline.junit5;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One proxy of the kit's Faultline, as a test drives it: point a client at {@link #baseUrl()},
 * set faults, replay a cassette, read the {@link #journal()}. Faults set while a test runs are
 * that test's only: the kit puts back what was there before once it ends.
 */
public final class FaultlineProxy {

  private final FaultlineExtension kit;
  private final AdminClient admin;
  private final JsonObject created;
  /** The faults to put back after a test that changed them: what was set outside any test. */
  private Object baseline;
  private boolean changedInTest;

  FaultlineProxy(FaultlineExtension kit, AdminClient admin, JsonObject created) {
    this.kit = kit;
    this.admin = admin;
    this.created = created;
    this.baseline = created.getValue("faults", new JsonArray());
  }

  public String id() {
    return created.getString("id");
  }

  public String name() {
    return created.getString("name");
  }

  public int port() {
    return created.getInteger("port");
  }

  /** The OpenAI-style base URL, {@code http://127.0.0.1:<port>/v1}: what an SDK's {@code baseUrl} takes. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  /**
   * Replaces the proxy's faults, as {@code PUT /api/proxies/{id}/faults} does (afresh: limiters
   * full, {@code next_requests} from 0): a list of entries, or the shorthand
   * {@code {"timeout_sec": 5, "error_rates": {"429": 0.1}}}. Bad faults fail with the API's
   * message naming the field.
   */
  public FaultlineProxy faults(String json) {
    String trimmed = json.trim();
    return put(trimmed.startsWith("[") ? new JsonArray(trimmed) : new JsonObject(trimmed));
  }

  public FaultlineProxy faults(JsonArray entries) {
    return put(entries);
  }

  /** The shorthand, or anything else {@code faults} accepts as an object. */
  public FaultlineProxy faults(JsonObject shorthand) {
    return put(shorthand);
  }

  /** Every request fails with OpenAI's error for {@code status} (a 429 with {@code retry-after: 0}, so SDKs retry at once). */
  public FaultlineProxy failWith(int status) {
    JsonObject params = new JsonObject().put("status", status);
    if (status == 429) {
      params.put("retry_after", 0);
    }
    return put(new JsonArray().add(new JsonObject().put("strategy", "http-error").put("rate", 1).put("params", params)));
  }

  /** No faults (until the end of the test, when the ones from before it come back). */
  public FaultlineProxy clearFaults() {
    return put(new JsonArray());
  }

  /** The faults in force, as the API lists them (the shorthand expanded). */
  public JsonArray faults() {
    Buffer body = admin.send(HttpMethod.GET, "/api/proxies/" + id() + "/faults", null, Map.of(), 200).body();
    return new JsonArray(body);
  }

  /** Turns the response cache on (cassettes replay from it) or off, with its other settings at their defaults. */
  public FaultlineProxy cache(boolean enabled) {
    admin.json(HttpMethod.PATCH, "/api/proxies/" + id(), new JsonObject().put("cache",
        new JsonObject().put("enabled", enabled)), 200);
    return this;
  }

  /**
   * Loads a cassette (a file from {@code GET /api/proxies/{id}/cache/export}, or {@link #exportCassette()})
   * and turns the cache on, so matching requests are answered from it without reaching the
   * upstream. Its entries answer callers sending {@code apiKey}; {@code null} for callers sending none.
   *
   * @return how many entries were imported
   */
  public int replay(Path cassette, String apiKey) {
    try {
      return replay(Buffer.buffer(Files.readAllBytes(cassette)), apiKey);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the cassette " + cassette, e);
    }
  }

  public int replay(Buffer cassette, String apiKey) {
    cache(true);
    Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/x-ndjson"));
    if (apiKey != null) {
      headers.put("X-Faultline-Api-Key", apiKey);
    }
    return new JsonObject(admin.send(HttpMethod.POST, "/api/proxies/" + id() + "/cache/import", cassette, headers, 200)
        .body()).getInteger("imported");
  }

  /** The proxy's cache as a cassette, every caller's entries. */
  public Buffer exportCassette() {
    return admin.send(HttpMethod.GET, "/api/proxies/" + id() + "/cache/export", null, Map.of(), 200).body();
  }

  /** What reached this proxy since the current test began (outside a test: since Faultline started). */
  public Journal journal() {
    return Journal.read(admin, id(), kit.journalSince());
  }

  /** The journal once at least {@code count} requests are in it (within 10 s, else the test fails saying so). */
  public Journal journal(int count) {
    return Journal.awaitCount(admin, id(), kit.journalSince(), count);
  }

  private FaultlineProxy put(Object faults) {
    admin.send(HttpMethod.PUT, "/api/proxies/" + id() + "/faults", faults,
        Map.of("Content-Type", "application/json"), 200);
    if (kit.inTest()) {
      changedInTest = true;
    } else {
      baseline = faults;
    }
    return this;
  }

  /** After a test: its faults go, those from before it come back (started afresh). */
  void endTest() {
    if (changedInTest) {
      changedInTest = false;
      admin.send(HttpMethod.PUT, "/api/proxies/" + id() + "/faults", baseline,
          Map.of("Content-Type", "application/json"), 200);
    }
  }
}
