package dev.faultline.logs;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.logs.LogTesting.awaitEntries;
import static dev.faultline.logs.LogTesting.proxy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mockserver.configuration.Configuration;
import org.mockserver.integration.ClientAndServer;
import org.slf4j.event.Level;

/**
 * One log entry per request through a real Faultline in front of a MockServer upstream: every
 * field, as published on {@code faultline.log} and as read back from {@code GET /api/logs}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LogEntriesTest {

  private static final String KEY = "sk-proj-Faultline-SECRET-4f2a9c";

  @TempDir
  Path dataDir;

  private Faultline faultline;
  private WebClient client;
  private ClientAndServer upstream;
  /** Every entry published on the bus, by request id. */
  private final Map<String, JsonObject> published = new ConcurrentHashMap<>();

  @BeforeEach
  void start(Vertx vertx) {
    upstream = ClientAndServer.startClientAndServer(Configuration.configuration().logLevel(Level.WARN)
        .disableSystemOut(true), 0);
    faultline = LogTesting.start(vertx, dataDir);
    client = FaultlineHarness.client(vertx);
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(LogListener.ADDRESS,
        m -> published.put(m.body().getString("request_id"), m.body()));
    await(consumer.completion());
  }

  @AfterEach
  void stop() {
    try {
      if (faultline != null) {
        await(faultline.stop());
      }
    } finally {
      upstream.stop();
    }
  }

  @Test
  void aCallIsLoggedWithEveryField() {
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "application/json")
        .withBody(completion("test-model-2024-07-18", usage(100, 50, 20))));
    JsonObject proxy = openAiProxy(new JsonObject());
    String body = chat("test-model", false, "hello there");
    Instant before = Instant.now();

    HttpResponse<Buffer> answer = post(proxy, "/v1/chat/completions?api-version=2024-06-01", body);
    Instant after = Instant.now();

    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    JsonObject entry = single(awaitEntries(client, faultline, "proxy=" + proxy.getString("id"), 1));
    assertTrue(entry.getLong("id") > 0, "the row id is shown: " + entry);
    Instant ts = Instant.parse(entry.getString("ts"));
    assertTrue(!ts.isBefore(before.minusMillis(1)) && !ts.isAfter(after), ts + " within the call " + before + ".." + after);
    assertEquals(proxy.getString("id"), entry.getString("proxy_id"));
    assertEquals(answer.getHeader("x-request-id"), entry.getString("request_id"), "the id the caller got back");
    assertEquals("127.0.0.1", entry.getString("client_ip"));
    assertEquals("POST", entry.getString("method"));
    assertEquals("/v1/chat/completions", entry.getString("path"), "never the query string");
    assertEquals("test-model", entry.getString("model"), "the model the caller asked for");
    assertEquals(false, entry.getBoolean("stream"));
    assertEquals(200, entry.getInteger("status"));
    assertEquals("completed", entry.getString("outcome"));
    double latency = entry.getDouble("latency_ms");
    assertTrue(latency > 0, "latency " + entry);
    assertTrue(entry.getDouble("ttfb_ms") > 0 && entry.getDouble("ttfb_ms") <= latency, "ttfb within latency " + entry);
    assertTrue(entry.getDouble("upstream_ms") > 0 && entry.getDouble("upstream_ms") <= latency,
        "upstream within latency " + entry);
    assertNull(entry.getString("cache_status"), "the cache is off");
    assertNull(entry.getString("fault"));
    assertNull(entry.getString("error_type"));
    assertEquals(100L, entry.getLong("prompt_tokens"));
    assertEquals(50L, entry.getLong("completion_tokens"));
    assertEquals(150L, entry.getLong("total_tokens"));
    assertEquals(20L, entry.getLong("cached_tokens"));
    assertEquals(false, entry.getBoolean("usage_estimated"));
    // test-model-2024-07-18 is priced as test-model: 80 fresh + 20 cached input, 50 output.
    assertEquals((80 * 1000 + 20 * 500 + 50 * 2000) / 1e6, entry.getDouble("cost_usd"), 1e-12);
    assertEquals("price_table", entry.getString("cost_source"));
    assertNull(entry.getValue("cost_saved_usd"));
    assertEquals((long) body.getBytes(StandardCharsets.UTF_8).length, entry.getLong("bytes_in"));
    assertEquals((long) answer.body().length(), entry.getLong("bytes_out"));
    assertNull(entry.getValue("request_body"), "bodies are not kept unless the proxy opts in");
    assertNull(entry.getValue("response_body"));

    JsonObject onTheBus = published.get(entry.getString("request_id"));
    assertNotNull(onTheBus, "published on faultline.log");
    JsonObject stored = entry.copy();
    stored.remove("id");
    assertEquals(onTheBus, stored, "the row holds exactly what was published");
    assertEquals(LogField.values().length, onTheBus.size(), "every field is published, null or not: " + onTheBus);
  }

  @Test
  void aStreamTakesItsUsageFromTheChunkThatCarriesIt() {
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "text/event-stream")
        .withBody(sse(List.of(delta("Hel"), delta("lo")), usage(12, 2, 0))));
    JsonObject proxy = openAiProxy(new JsonObject());

    HttpResponse<Buffer> answer = post(proxy, "/v1/chat/completions", chat("gpt-4o-mini", true, "hi"));

    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    JsonObject entry = single(awaitEntries(client, faultline, "proxy=" + proxy.getString("id"), 1));
    assertEquals(true, entry.getBoolean("stream"));
    assertEquals(12L, entry.getLong("prompt_tokens"));
    assertEquals(2L, entry.getLong("completion_tokens"));
    assertEquals(false, entry.getBoolean("usage_estimated"), "reported by the upstream");
    assertEquals((12 * 100 + 2 * 400) / 1e6, entry.getDouble("cost_usd"), 1e-12);
    assertEquals((long) answer.body().length(), entry.getLong("bytes_out"));
  }

  @Test
  void aStreamWithoutUsageIsCountedWithOpenAisTokenizerAndMarkedEstimated() {
    List<String> pieces = List.of("The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", ".");
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "text/event-stream")
        .withBody(sse(pieces.stream().map(LogEntriesTest::delta).toList(), null)));
    JsonObject proxy = openAiProxy(new JsonObject());
    String question = "Write one pangram, please.";

    assertEquals(200, post(proxy, "/v1/chat/completions", chat("gpt-4o-mini", true, question)).statusCode());

    JsonObject entry = single(awaitEntries(client, faultline, "proxy=" + proxy.getString("id"), 1));
    Encoding o200k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    // OpenAI's counting of a chat prompt: 3 per message plus its role and content, 3 to prime the reply.
    long prompt = 3 + o200k.countTokens("user") + o200k.countTokens(question) + 3;
    long completion = o200k.countTokens(String.join("", pieces));
    assertEquals(true, entry.getBoolean("usage_estimated"), entry.encodePrettily());
    assertEquals(prompt, entry.getLong("prompt_tokens"));
    assertEquals(completion, entry.getLong("completion_tokens"));
    assertEquals(prompt + completion, entry.getLong("total_tokens"));
    assertEquals((prompt * 100 + completion * 400) / 1e6, entry.getDouble("cost_usd"), 1e-12);
  }

  @Test
  void aLargeAnswerHasItsUsageReadAsItStreamsPast() {
    JsonArray data = new JsonArray();
    for (int i = 0; i < 300; i++) {
      JsonArray vector = new JsonArray();
      for (int d = 0; d < 64; d++) {
        vector.add(Math.sin(i * 64 + d));
      }
      data.add(new JsonObject().put("object", "embedding").put("index", i).put("embedding", vector));
    }
    String answer = new JsonObject().put("object", "list").put("data", data).put("model", "test-model")
        .put("usage", new JsonObject().put("prompt_tokens", 900).put("total_tokens", 900)).encode();
    assertTrue(answer.length() > 256 * 1024, "larger than what is kept whole: " + answer.length());
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "application/json")
        .withBody(answer));
    JsonObject proxy = openAiProxy(new JsonObject());

    assertEquals(200, post(proxy, "/v1/embeddings", "{\"model\":\"test-model\",\"input\":[\"a\",\"b\"]}")
        .statusCode());

    JsonObject entry = single(awaitEntries(client, faultline, "proxy=" + proxy.getString("id"), 1));
    assertEquals(900L, entry.getLong("prompt_tokens"));
    assertEquals(0L, entry.getLong("completion_tokens"));
    assertEquals(900 * 1000 / 1e6, entry.getDouble("cost_usd"), 1e-12);
    assertEquals((long) answer.length(), entry.getLong("bytes_out"));
  }

  @Test
  void aModelWithoutAPriceHasAnUnknownCostNeverZero() {
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "application/json")
        .withBody(completion("mystery-model-9", usage(10, 5, 0))));
    JsonObject proxy = openAiProxy(new JsonObject());

    assertEquals(200, post(proxy, "/v1/chat/completions", chat("mystery-model-9", false, "hi")).statusCode());

    JsonObject entry = single(awaitEntries(client, faultline, "proxy=" + proxy.getString("id"), 1));
    assertEquals(15L, entry.getLong("total_tokens"));
    assertTrue(entry.containsKey("cost_usd") && entry.getValue("cost_usd") == null, "null, not 0: " + entry);
    assertEquals("unknown_price", entry.getString("cost_source"));
  }

  @Test
  void anUpstreamErrorIsLoggedWithItsErrorTypeAndNoCost() {
    upstream.when(request()).respond(response().withStatusCode(429).withHeader("content-type", "application/json")
        .withHeader("retry-after", "7")
        .withBody("{\"error\":{\"message\":\"Rate limit reached for key sk-proj-abc123***xyz9\",\"type\":\"requests\","
            + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}"));
    JsonObject proxy = openAiProxy(new JsonObject());

    assertEquals(429, post(proxy, "/v1/chat/completions", chat("test-model", false, "hi")).statusCode());

    JsonObject entry = single(awaitEntries(client, faultline, "proxy=" + proxy.getString("id"), 1));
    assertEquals(429, entry.getInteger("status"));
    assertEquals("rate_limit_exceeded", entry.getString("error_type"));
    assertEquals("Rate limit reached for key [key]", entry.getString("error_message"), "the key fragment is masked");
    assertEquals("7", entry.getString("retry_after"));
    assertNull(entry.getValue("prompt_tokens"));
    assertNull(entry.getValue("cost_usd"));
    assertEquals("no_usage", entry.getString("cost_source"));
  }

  @Test
  void faultlinesOwnRefusalsAreLoggedToo() {
    JsonObject proxy = openAiProxy(new JsonObject());

    assertEquals(400, post(proxy, "/v1/chat/completions", "{\"model\": \"test-model\", ").statusCode());
    assertEquals(401, await(client.post(proxy.getInteger("port"), "127.0.0.1", "/v1/chat/completions")
        .putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(chat("test-model", false, "hi"))))
        .statusCode());

    List<JsonObject> entries = awaitEntries(client, faultline, "proxy=" + proxy.getString("id"), 2);
    assertEquals(401, entries.get(0).getInteger("status"), "newest first");
    assertEquals("invalid_request_error", entries.get(0).getString("error_type"));
    assertEquals("test-model", entries.get(0).getString("model"));
    assertEquals(400, entries.get(1).getInteger("status"));
    assertEquals("invalid_request_error", entries.get(1).getString("error_type"), "OpenAI gives no code");
    assertNull(entries.get(1).getString("model"), "the body did not parse");
    assertEquals(0, upstream.retrieveRecordedRequests(request()).length, "neither reached the upstream");
  }

  @Test
  void aCacheHitCostsNothingAndSavesWhatTheCallCost() {
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "application/json")
        .withBody(completion("test-model", usage(100, 50, 0))));
    JsonObject proxy = openAiProxy(new JsonObject().put("cache", new JsonObject().put("enabled", true)));
    String body = chat("test-model", false, "same question");

    assertEquals(200, post(proxy, "/v1/chat/completions", body).statusCode());
    assertEquals(200, post(proxy, "/v1/chat/completions", body).statusCode());

    List<JsonObject> entries = awaitEntries(client, faultline, "proxy=" + proxy.getString("id"), 2);
    JsonObject hit = entries.get(0);
    JsonObject miss = entries.get(1);
    double cost = (100 * 1000 + 50 * 2000) / 1e6;
    assertEquals("MISS", miss.getString("cache_status"));
    assertEquals(cost, miss.getDouble("cost_usd"), 1e-12);
    assertNull(miss.getValue("cost_saved_usd"));
    assertEquals("HIT", hit.getString("cache_status"));
    assertEquals(0.0, hit.getDouble("cost_usd"), "a hit is free");
    assertEquals(cost, hit.getDouble("cost_saved_usd"), 1e-12, "and saved what the call cost");
    assertEquals(150L, hit.getLong("total_tokens"));
    assertEquals(1, upstream.retrieveRecordedRequests(request()).length, "the hit never reached the upstream");
  }

  @Test
  void anInjectedFaultIsLoggedWithItsStrategy() {
    JsonObject proxy = openAiProxy(new JsonObject().put("faults", new JsonArray().add(new JsonObject()
        .put("strategy", "http-error").put("rate", 1).put("params", new JsonObject().put("status", 503)))));

    HttpResponse<Buffer> answer = post(proxy, "/v1/chat/completions", chat("test-model", false, "hi"));

    assertEquals(503, answer.statusCode(), answer.bodyAsString());
    JsonObject entry = single(awaitEntries(client, faultline, "proxy=" + proxy.getString("id"), 1));
    assertEquals("http-error", entry.getString("fault"));
    assertEquals(503, entry.getInteger("status"));
    JsonObject error = answer.bodyAsJsonObject().getJsonObject("error");
    assertEquals(error.getString("code") != null ? error.getString("code") : error.getString("type"),
        entry.getString("error_type"), "the error the caller got: " + answer.bodyAsString());
    assertNull(entry.getValue("upstream_ms"), "the upstream was never called");
    assertEquals("no_usage", entry.getString("cost_source"));
    assertEquals(0, upstream.retrieveRecordedRequests(request()).length);
  }

  @Test
  void bodiesAreKeptOnlyWhenTheProxyOptsInCutAtItsLimit() {
    String answerText = "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"été\"}}]}";
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "application/json")
        .withBody(answerText));
    JsonObject proxy = openAiProxy(new JsonObject().put("logging", new JsonObject().put("bodies", true)
        .put("max_body_bytes", 45)));
    String body = chat("test-model", false, "ééééééééééééééééééééééééé");

    assertEquals(200, post(proxy, "/v1/chat/completions", body).statusCode());

    JsonObject entry = single(awaitEntries(client, faultline, "proxy=" + proxy.getString("id"), 1));
    String request = entry.getString("request_body");
    assertEquals(body.substring(0, 45), request, "the first 45 bytes (all ASCII here)");
    // The answer's first 'é' is bytes 44 and 45: the cut goes before it, never through it.
    assertEquals(answerText.substring(0, answerText.indexOf('é')), entry.getString("response_body"));
    assertEquals(new JsonObject().put("enabled", true).put("bodies", true).put("max_body_bytes", 45),
        proxy.getJsonObject("logging"), "the block is shown with the proxy");
  }

  @Test
  void aProxyWithLoggingOffLeavesNoEntry() {
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "application/json")
        .withBody(completion("test-model", usage(1, 1, 0))));
    JsonObject quiet = openAiProxy(new JsonObject().put("logging", new JsonObject().put("enabled", false)));
    JsonObject loud = openAiProxy(new JsonObject());

    assertEquals(200, post(quiet, "/v1/chat/completions", chat("test-model", false, "a")).statusCode());
    assertEquals(200, post(loud, "/v1/chat/completions", chat("test-model", false, "b")).statusCode());

    awaitEntries(client, faultline, "proxy=" + loud.getString("id"), 1);
    assertEquals(0, LogTesting.logs(client, faultline, "proxy=" + quiet.getString("id")).getJsonArray("entries").size());
    assertEquals(1, published.size(), "nothing published for the quiet proxy: " + published);
  }

  @Test
  void noApiKeyEverReachesTheDatabaseOrTheBus() throws IOException {
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "application/json")
        .withBody(completion("test-model", usage(3, 4, 0))));
    JsonObject proxy = openAiProxy(new JsonObject().put("logging", new JsonObject().put("bodies", true)));
    String body = chat("test-model", false, "hi");
    for (String[] header : List.of(new String[] {"Authorization", "Bearer " + KEY}, new String[] {"api-key", KEY},
        new String[] {"x-api-key", KEY})) {
      assertEquals(200, await(client.post(proxy.getInteger("port"), "127.0.0.1", "/v1/chat/completions?key=" + KEY)
          .putHeader(header[0], header[1]).putHeader("content-type", "application/json")
          .sendBuffer(Buffer.buffer(body))).statusCode());
    }
    awaitEntries(client, faultline, "proxy=" + proxy.getString("id"), 3);
    await(faultline.stop());
    faultline = null;

    byte[] key = KEY.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertFalse(contains(Files.readAllBytes(file), key), "the API key is in " + file);
      }
    }
    published.values().forEach(entry -> assertFalse(entry.encode().contains(KEY), "the key was published: " + entry));
    assertEquals(3, published.size());
  }

  // ---------------------------------------------------------------------------------- helpers

  private JsonObject openAiProxy(JsonObject extra) {
    return proxy(client, faultline, new JsonObject().put("name", "p" + System.nanoTime()).put("provider", "openai")
        .put("upstream", "http://127.0.0.1:" + upstream.getPort()).mergeIn(extra));
  }

  private HttpResponse<Buffer> post(JsonObject proxy, String path, String body) {
    return await(client.post(proxy.getInteger("port"), "127.0.0.1", path)
        .putHeader("Authorization", "Bearer " + KEY).putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(body)));
  }

  static String chat(String model, boolean stream, String content) {
    return new JsonObject().put("model", model).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", content))).encode();
  }

  static JsonObject usage(int prompt, int completion, int cached) {
    return new JsonObject().put("prompt_tokens", prompt).put("completion_tokens", completion)
        .put("total_tokens", prompt + completion)
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", cached));
  }

  static String completion(String model, JsonObject usage) {
    return new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion").put("model", model)
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
            .put("message", new JsonObject().put("role", "assistant").put("content", "Hello!"))
            .put("finish_reason", "stop")))
        .put("usage", usage).encode();
  }

  static JsonObject delta(String text) {
    return new JsonObject().put("id", "chatcmpl-1").put("object", "chat.completion.chunk").put("model", "gpt-4o-mini")
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
            .put("delta", new JsonObject().put("content", text)).putNull("finish_reason")));
  }

  /** An OpenAI stream of {@code chunks}, then a usage chunk when {@code usage} is given, then [DONE]. */
  static String sse(List<JsonObject> chunks, JsonObject usage) {
    StringBuilder stream = new StringBuilder();
    chunks.forEach(chunk -> stream.append("data: ").append(chunk.encode()).append("\n\n"));
    if (usage != null) {
      stream.append("data: ").append(new JsonObject().put("id", "chatcmpl-1").put("choices", new JsonArray())
          .put("usage", usage).encode()).append("\n\n");
    }
    return stream.append("data: [DONE]\n\n").toString();
  }

  private static JsonObject single(List<JsonObject> entries) {
    assertEquals(1, entries.size(), () -> "one entry expected: " + entries);
    return entries.get(0);
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
