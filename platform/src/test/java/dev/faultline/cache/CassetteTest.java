package dev.faultline.cache;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static dev.faultline.cache.CacheFixture.cacheOn;
import static dev.faultline.cache.CacheFixture.status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

import dev.faultline.FaultlineHarness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mockserver.integration.ClientAndServer;
import org.mockserver.model.JsonBody;

/**
 * Cassettes: a proxy's cache exported and imported into another proxy or another Faultline,
 * replayed there with no upstream at all, bound to the importer's tenant; and corrupt cassettes
 * refused whole.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CassetteTest {

  private static final String RECORDING_KEY = "sk-recorder-Secret-0123456789";
  private static final String REPLAY_KEY = "sk-ci-replayer";
  private static final String SSE = "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\ndata: [DONE]\n\n";
  private static final byte[] AUDIO = {(byte) 0xff, (byte) 0xfb, (byte) 0x90, 0x00, (byte) 0xc3, 0x7f, 0x01};
  private static final String STREAM_BODY = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[]}";
  private static final String SPEECH = "/v1/audio/speech";
  private static final String SPEECH_BODY = "{\"model\":\"tts-1\",\"input\":\"hello\",\"voice\":\"alloy\"}";

  @TempDir
  Path dataDir;
  @TempDir
  Path otherDataDir;

  private CacheFixture fixture;
  private ClientAndServer upstream;

  @BeforeEach
  void start(Vertx vertx) {
    upstream = CacheFixture.mockUpstream();
    upstream.when(request().withPath(SPEECH)).respond(response().withStatusCode(200)
        .withHeader("content-type", "audio/mpeg").withBody(AUDIO));
    upstream.when(request().withBody(JsonBody.json("{\"stream\":true}")))
        .respond(response().withStatusCode(200).withHeader("content-type", "text/event-stream").withBody(SSE));
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "application/json")
        .withBody("{\"object\":\"chat.completion\",\"text\":\"é\"}"));
    fixture = CacheFixture.start(vertx, dataDir);
  }

  @AfterEach
  void stop() {
    CacheFixture.stopBoth(fixture, upstream);
  }

  @Test
  void aCassetteReplaysInAnotherProxyAndAnotherFaultlineForTheImportersTenantOnly() {
    JsonObject recorder = fixture.proxy("openai", CacheFixture.url(upstream), cacheOn());
    int port = recorder.getInteger("port");
    List<HttpResponse<Buffer>> originals = record(fixture, port, RECORDING_KEY);
    assertEquals(List.of("MISS", "MISS", "MISS"), originals.stream().map(CacheFixture::status).toList());

    HttpResponse<Buffer> exported = expect(fixture.admin(HttpMethod.GET, "/api/proxies/" + recorder.getString("id")
        + "/cache/export", null), 200);
    assertEquals("application/x-ndjson", exported.getHeader("content-type"));
    String cassette = exported.bodyAsString();
    String[] lines = cassette.split("\n");
    assertEquals(5, lines.length, cassette);
    JsonObject header = new JsonObject(lines[0]);
    assertEquals(1, header.getInteger("faultline_cassette"), header.encode());
    assertEquals("openai", header.getString("provider"));
    assertEquals(3, new JsonObject(lines[4]).getInteger("entries"), lines[4]);
    assertFalse(cassette.contains(RECORDING_KEY), "no API key in a cassette");
    assertFalse(cassette.contains("tenant"), "no tenant in a cassette");

    // Another proxy of the same Faultline, whose upstream is gone: every answer comes from the cassette.
    JsonObject offline = fixture.proxy("openai", "http://127.0.0.1:" + FaultlineHarness.freePort(), cacheOn());
    JsonObject imported = importCassette(fixture, offline.getString("id"), cassette, REPLAY_KEY);
    assertEquals(3, imported.getInteger("imported"), imported.encode());
    assertReplays(fixture, offline.getInteger("port"), originals);
    HttpResponse<Buffer> otherTenant = fixture.chat(offline.getInteger("port"), RECORDING_KEY, "recorded");
    assertEquals("MISS", status(otherTenant), "entries answer only the importer's tenant");
    assertEquals(502, otherTenant.statusCode(), "and the upstream is really gone");

    // Another Faultline: another installation secret, same result.
    CacheFixture other = CacheFixture.startAlone(otherDataDir);
    try {
      JsonObject elsewhere = other.proxy("openai", "http://127.0.0.1:" + FaultlineHarness.freePort(), cacheOn());
      importCassette(other, elsewhere.getString("id"), cassette, REPLAY_KEY);
      assertReplays(other, elsewhere.getInteger("port"), originals);
    } finally {
      other.stop();
    }
    assertEquals(3, upstream.retrieveRecordedRequests(request()).length, "only the recording reached the upstream");
  }

  @Test
  void anExportCanBeLimitedToOneTenant() {
    JsonObject recorder = fixture.proxy("openai", CacheFixture.url(upstream), cacheOn());
    fixture.chat(recorder.getInteger("port"), RECORDING_KEY, "mine");
    fixture.chat(recorder.getInteger("port"), "sk-someone-else", "theirs");

    HttpRequest<Buffer> export = fixture.client.get(fixture.faultline.adminPort(), "127.0.0.1",
        "/api/proxies/" + recorder.getString("id") + "/cache/export").putHeader("X-Faultline-Api-Key", RECORDING_KEY);
    String[] lines = expect(await(export.send()), 200).bodyAsString().split("\n");
    assertEquals(3, lines.length, "header, one entry, trailer: " + Arrays.toString(lines));
  }

  @Test
  void aCorruptCassetteIsRefusedWholeNamingWhatIsWrong() throws Exception {
    JsonObject recorder = fixture.proxy("openai", CacheFixture.url(upstream), cacheOn());
    record(fixture, recorder.getInteger("port"), RECORDING_KEY);
    String cassette = expect(fixture.admin(HttpMethod.GET, "/api/proxies/" + recorder.getString("id")
        + "/cache/export", null), 200).bodyAsString();
    List<String> lines = new ArrayList<>(List.of(cassette.split("\n")));
    lines.remove(lines.size() - 1);
    JsonObject target = fixture.proxy("openai", CacheFixture.url(upstream), cacheOn());
    JsonObject mock = fixture.proxy("mock", null, cacheOn());

    JsonObject badStatus = new JsonObject(lines.get(1)).put("status", 500);
    JsonObject badEvents = new JsonObject(lines.get(1)).put("events", new JsonArray()
        .add(new JsonObject().put("end", 1).put("at_ms", 0)));
    String[][] cases = {
        {"", "the file is empty"},
        {"garbage\n", "line 1: not valid JSON"},
        {"{\"hello\":1}\n", "line 1: not a Faultline cassette"},
        {cassette.replace("\"faultline_cassette\":1", "\"faultline_cassette\":2"), "cassette version 2"},
        {cassette.replace("[DONE]", "[D0NE]"), "sha256"},
        {String.join("\n", lines) + "\n", "truncated"},
        {signed(lines.get(0), lines.get(1), badStatus.encode()), "line 3: status"},
        {signed(lines.get(0), lines.get(1), lines.get(2), badEvents.encode()), "line 4: events"},
        {signed(lines.get(0), new JsonObject(lines.get(1)).put("tenant", "x").encode()), "line 2: tenant: unknown field"},
        {cassette.replace("\"entries\":3", "\"entries\":2"), "entries is 2 but the cassette holds 3"},
    };
    for (String[] bad : cases) {
      HttpResponse<Buffer> refused = post(fixture, target.getString("id"), bad[0], null);
      assertEquals(400, refused.statusCode(), bad[1] + ": " + refused.bodyAsString());
      JsonObject error = refused.bodyAsJsonObject().getJsonObject("error");
      assertEquals("cassette", error.getString("field"), error.encode());
      assertTrue(error.getString("message").contains(bad[1]), "expected '" + bad[1] + "' in " + error.encode());
      assertEquals(0, fixture.entries(target.getString("id")), bad[1] + ": nothing was imported");
    }
    HttpResponse<Buffer> wrongProvider = post(fixture, mock.getString("id"), cassette, null);
    assertEquals(400, wrongProvider.statusCode());
    assertTrue(wrongProvider.bodyAsString().contains("provider 'openai'"), wrongProvider.bodyAsString());
    assertEquals(404, post(fixture, "prx_nope", cassette, null).statusCode());
    assertEquals(404, fixture.admin(HttpMethod.GET, "/api/proxies/prx_nope/cache/export", null).statusCode());
  }

  @Test
  void aCassetteLargerThanTheAdminApisBodyLimitImports() throws Exception {
    JsonObject target = fixture.proxy("openai", "http://127.0.0.1:" + FaultlineHarness.freePort(), cacheOn());
    JsonObject recorder = fixture.proxy("openai", CacheFixture.url(upstream), cacheOn());
    fixture.chat(recorder.getInteger("port"), RECORDING_KEY, "recorded");
    String[] exported = expect(fixture.admin(HttpMethod.GET, "/api/proxies/" + recorder.getString("id")
        + "/cache/export", null), 200).bodyAsString().split("\n");
    String big = "{\"text\":\"" + "x".repeat(3 * 1024 * 1024 / 2) + "\"}";
    String cassette = signed(exported[0], new JsonObject(exported[1]).put("body", big).encode());
    assertTrue(cassette.length() > 1024 * 1024, "over the admin API's 1 MiB");

    assertEquals(1, importCassette(fixture, target.getString("id"), cassette, REPLAY_KEY).getInteger("imported"));
    HttpResponse<Buffer> hit = fixture.chat(target.getInteger("port"), REPLAY_KEY, "recorded");
    assertEquals("HIT", status(hit));
    assertEquals(big, hit.bodyAsString());
  }

  // --- helpers -------------------------------------------------------------------------------

  /** A JSON chat, a stream and a binary (audio) answer, through the proxy on {@code port}. */
  private static List<HttpResponse<Buffer>> record(CacheFixture fixture, int port, String apiKey) {
    return List.of(fixture.chat(port, apiKey, "recorded"),
        fixture.post(port, CacheFixture.CHAT, apiKey, STREAM_BODY),
        fixture.post(port, SPEECH, apiKey, SPEECH_BODY));
  }

  private static void assertReplays(CacheFixture fixture, int port, List<HttpResponse<Buffer>> originals) {
    List<HttpResponse<Buffer>> replays = record(fixture, port, REPLAY_KEY);
    for (int i = 0; i < originals.size(); i++) {
      assertEquals("HIT", status(replays.get(i)), "request " + i + ": " + replays.get(i).bodyAsString());
      assertArrayEquals(originals.get(i).body().getBytes(), replays.get(i).body().getBytes(), "request " + i);
      assertEquals(originals.get(i).getHeader("content-type"), replays.get(i).getHeader("content-type"));
    }
    assertArrayEquals(AUDIO, replays.get(2).body().getBytes(), "binary bodies survive (base64 in the cassette)");
    assertEquals(SSE, replays.get(1).bodyAsString());
  }

  private static JsonObject importCassette(CacheFixture fixture, String proxyId, String cassette, String apiKey) {
    return expect(post(fixture, proxyId, cassette, apiKey), 200).bodyAsJsonObject();
  }

  private static HttpResponse<Buffer> post(CacheFixture fixture, String proxyId, String cassette, String apiKey) {
    HttpRequest<Buffer> request = fixture.client.post(fixture.faultline.adminPort(), "127.0.0.1",
        "/api/proxies/" + proxyId + "/cache/import").putHeader("content-type", "application/x-ndjson");
    if (apiKey != null) {
      request.putHeader("X-Faultline-Api-Key", apiKey);
    }
    return await(request.sendBuffer(Buffer.buffer(cassette)));
  }

  /** A cassette of {@code lines} with a correct trailer: what a careless hand-edit would produce. */
  private static String signed(String... lines) throws Exception {
    StringBuilder text = new StringBuilder();
    for (String line : lines) {
      text.append(line).append('\n');
    }
    byte[] sha = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
    return text.append(new JsonObject().put("entries", lines.length - 1).put("sha256", HexFormat.of().formatHex(sha))
        .encode()).append('\n').toString();
  }
}
