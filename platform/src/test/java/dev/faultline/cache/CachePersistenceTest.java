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

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mockserver.integration.ClientAndServer;

/**
 * The cache on disk: it survives a restart, never holds an API key (checked on the database
 * file's bytes), and fails open when the database does.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CachePersistenceTest {

  private static final String RAW_KEY = "sk-proj-RAWKEY-must-never-be-stored-7f3a9c";
  private static final String IMPORT_KEY = "sk-ci-IMPORTKEY-never-stored-either-51d2";

  @TempDir
  Path dataDir;

  private CacheFixture fixture;
  private ClientAndServer upstream;

  @BeforeEach
  void start(Vertx vertx) {
    upstream = CacheFixture.mockUpstream();
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "application/json")
        .withBody("{\"object\":\"chat.completion\",\"text\":\"persisted\"}"));
    fixture = CacheFixture.start(vertx, dataDir);
  }

  @AfterEach
  void stop() {
    CacheFixture.stopBoth(fixture, upstream);
  }

  @Test
  void theCacheSurvivesARestart() {
    JsonObject proxy = fixture.proxy("openai", CacheFixture.url(upstream), cacheOn());
    int port = proxy.getInteger("port");
    HttpResponse<Buffer> original = fixture.chat(port, "sk-a", "remember me");
    assertEquals("MISS", status(original));

    fixture.stop();
    fixture = null;
    fixture = CacheFixture.startAlone(dataDir);

    HttpResponse<Buffer> afterRestart = fixture.chat(port, "sk-a", "remember me");
    // On failure, the restored cache's stats say whether the lookup failed or found nothing.
    assertEquals("HIT", status(afterRestart), () -> "the restored proxy found the stored entry; "
        + fixture.cache(proxy.getString("id")).encode());
    assertArrayEquals(original.body().getBytes(), afterRestart.body().getBytes());
    assertEquals("MISS", status(fixture.chat(port, "sk-b", "remember me")), "and still told tenants apart");
    assertEquals(2, upstream.retrieveRecordedRequests(request()).length);
  }

  /**
   * A stop that begins while an answer is still arriving lets it finish and stores it. The answer
   * has a content-length, as most do: the caller has it whole at its last byte, which the proxy
   * forwards before it sees the upstream's end and hands the answer to the cache.
   */
  @Test
  void aStopStoresTheAnswerItLetFinish(Vertx vertx) {
    String head = "{\"object\":\"chat.completion\",";
    String tail = "\"text\":\"finished during the stop\"}";
    Promise<Void> halfSent = Promise.promise();
    Promise<Void> sendTheRest = Promise.promise();
    HttpServer slow = await(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      HttpServerResponse response = request.response().putHeader("content-type", "application/json")
          .putHeader("content-length", String.valueOf(head.length() + tail.length()));
      response.write(head);
      halfSent.tryComplete();
      sendTheRest.future().onComplete(v -> response.end(tail));
    })).listen(0, "127.0.0.1"));
    JsonObject proxy = fixture.proxy("openai", "http://127.0.0.1:" + slow.actualPort(), cacheOn());
    int port = proxy.getInteger("port");
    Future<HttpResponse<Buffer>> answer = fixture.postAsync(port, CacheFixture.CHAT, "sk-a",
        CacheFixture.chatBody("slow"));
    await(halfSent.future());

    Future<Void> stopped = fixture.faultline.stop();
    fixture = null;
    // Time enough for the stop to close the cache, had it not waited for the proxy first.
    await(vertx.timer(200));
    sendTheRest.complete();
    HttpResponse<Buffer> original = await(answer);
    assertEquals("MISS", status(original));
    assertEquals(head + tail, original.bodyAsString());
    await(stopped);

    fixture = CacheFixture.startAlone(dataDir);
    HttpResponse<Buffer> afterRestart = fixture.chat(port, "sk-a", "slow");
    assertEquals("HIT", status(afterRestart), () -> "stored before the stop completed; "
        + fixture.cache(proxy.getString("id")).encode());
    assertEquals(head + tail, afterRestart.bodyAsString());
  }

  @Test
  void noApiKeyEverReachesTheDatabaseFile() throws IOException {
    JsonObject proxy = fixture.proxy("openai", CacheFixture.url(upstream), cacheOn());
    int port = proxy.getInteger("port");
    fixture.chat(port, RAW_KEY, "one");
    fixture.post(port, CacheFixture.CHAT, RAW_KEY, "{\"model\":\"m\",\"stream\":true,\"messages\":[]}");
    fixture.post(port, CacheFixture.CHAT, null, CacheFixture.chatBody("two"), "api-key", RAW_KEY);
    assertEquals("HIT", status(fixture.chat(port, RAW_KEY, "one")));
    String cassette = expect(fixture.admin(HttpMethod.GET, "/api/proxies/" + proxy.getString("id") + "/cache/export",
        null), 200).bodyAsString();
    JsonObject other = fixture.proxy("openai", CacheFixture.url(upstream), cacheOn());
    expect(await(fixture.client.post(fixture.faultline.adminPort(), "127.0.0.1", "/api/proxies/" + other.getString("id")
        + "/cache/import").putHeader("X-Faultline-Api-Key", IMPORT_KEY).putHeader("content-type", "application/x-ndjson")
        .sendBuffer(Buffer.buffer(cassette))), 200);
    assertEquals(3, fixture.entries(proxy.getString("id")), "written (the listing waits for the writer)");

    // While running: the database, its write-ahead log and shared memory, as they are on disk.
    assertNoKeyIn(databaseFiles());
    fixture.stop();
    fixture = null;
    assertNoKeyIn(databaseFiles());
  }

  @Test
  void whenTheDatabaseFailsRequestsAreStillServed() throws Exception {
    JsonObject proxy = fixture.proxy("openai", CacheFixture.url(upstream), cacheOn());
    String id = proxy.getString("id");
    int port = proxy.getInteger("port");
    try (Connection sql = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("faultline.db"));
         Statement statement = sql.createStatement()) {
      statement.execute("PRAGMA busy_timeout = 5000");

      // Writes fail, as on a full disk.
      statement.execute("CREATE TRIGGER full_disk BEFORE INSERT ON cache_entries "
          + "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
      HttpResponse<Buffer> unstored = fixture.chat(port, "sk-a", "hot");
      assertEquals(200, unstored.statusCode(), unstored.bodyAsString());
      assertEquals("MISS", status(unstored));
      JsonObject stats = fixture.cache(id).getJsonObject("stats");
      assertEquals(1, stats.getLong("store_errors"), stats.encode());
      assertEquals("HIT", status(fixture.chat(port, "sk-a", "hot")), "served from memory: a hot hit needs no disk");

      // Reads fail too, as with a broken table.
      statement.execute("ALTER TABLE cache_entries RENAME TO cache_entries_away");
      HttpResponse<Buffer> cold = fixture.chat(port, "sk-a", "cold");
      assertEquals(200, cold.statusCode(), cold.bodyAsString());
      assertEquals("MISS", status(cold));
      assertEquals("HIT", status(fixture.chat(port, "sk-a", "hot")), "the memory front still answers");

      statement.execute("ALTER TABLE cache_entries_away RENAME TO cache_entries");
      statement.execute("DROP TRIGGER full_disk");
    }
    JsonObject stats = fixture.cache(id).getJsonObject("stats");
    assertTrue(stats.getLong("lookup_errors") >= 1, stats.encode());
    assertEquals(2, upstream.retrieveRecordedRequests(request()).length, "one call for hot, one for cold");
  }

  private void assertNoKeyIn(List<Path> files) throws IOException {
    assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().equals("faultline.db")), files.toString());
    for (Path file : files) {
      String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      for (String secret : List.of(RAW_KEY, IMPORT_KEY, "RAWKEY", "IMPORTKEY")) {
        assertFalse(bytes.contains(secret), secret + " found in " + file);
      }
    }
  }

  private List<Path> databaseFiles() throws IOException {
    try (Stream<Path> files = Files.list(dataDir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("faultline.db")).toList();
    }
  }
}
