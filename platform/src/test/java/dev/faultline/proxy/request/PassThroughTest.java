package dev.faultline.proxy.request;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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
 * The {@code openai} provider as a transparent pass-through: a whole Faultline in front of a
 * MockServer upstream, checked on what the upstream actually received and what the caller got back.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PassThroughTest {

  /**
   * Odd whitespace (tabs, CRLF, runs of spaces), a key order no serializer would produce,
   * \\u escapes (including a surrogate pair), raw multi-byte UTF-8 and a trailing newline.
   */
  private static final byte[] ODD_BODY = ("{  \"stream\":false ,\t\"messages\" :[ {\"content\":\"h\\u00e9llo \\ud83d\\ude00 "
      + "\\\"quoted\\\" \\/ \\n\",\r\n   \"role\":\"user\"},{\"role\":\"user\",\"content\":\"raw: é 日本語 😀 ñ\"}],"
      + "\"temperature\":1.50, \"z\":1e2,\n\n\"model\"   :   \"gpt-4o-mini\"  ,\"a\":[ ],\"user\":\"u-1\"}\n")
      .getBytes(StandardCharsets.UTF_8);

  private static final String OPENAI_JSON = "application/json";

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private Faultline faultline;
  private WebClient client;
  private ClientAndServer upstream;
  private int proxies;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    this.upstream = ClientAndServer.startClientAndServer(
        Configuration.configuration().logLevel(Level.WARN).disableSystemOut(true), 0);
    this.faultline = await(FaultlineHarness.start(vertx, dataDir));
    this.client = FaultlineHarness.client(vertx);
  }

  @AfterEach
  void stop() {
    try {
      if (faultline != null) {
        await(faultline.stop());
      }
    } finally {
      if (upstream != null) {
        upstream.stop();
      }
    }
  }

  @Test
  void requestHeadersAndBodyArriveUntouched() {
    upstream.when(request()).respond(response().withStatusCode(200)
        .withHeader("content-type", OPENAI_JSON).withBody("{}"));
    int port = proxyTo(upstreamUrl(""));

    HttpResponse<Buffer> answer = await(client.post(port, "127.0.0.1", "/v1/chat/completions")
        .putHeader("Authorization", "Bearer sk-proj-AbC123_xyz")
        .putHeader("OpenAI-Organization", "org-Faultline42")
        .putHeader("OpenAI-Project", "proj_Zy9")
        .putHeader("X-Stainless-Lang", "java")
        .putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(ODD_BODY)));
    expect(answer, 200);

    org.mockserver.model.HttpRequest received = single(upstream.retrieveRecordedRequests(request()));
    assertEquals(List.of("Bearer sk-proj-AbC123_xyz"), received.getHeader("Authorization"));
    assertEquals(List.of("org-Faultline42"), received.getHeader("OpenAI-Organization"));
    assertEquals(List.of("proj_Zy9"), received.getHeader("OpenAI-Project"));
    assertEquals(List.of("java"), received.getHeader("X-Stainless-Lang"));
    assertEquals(List.of("application/json"), received.getHeader("content-type"));
    assertEquals(List.of(String.valueOf(ODD_BODY.length)), received.getHeader("content-length"),
        "the upstream gets the body's own length");
    assertArrayEquals(ODD_BODY, received.getBodyAsRawBytes(), () -> "body changed on the way:\nsent     "
        + new String(ODD_BODY, StandardCharsets.UTF_8) + "\nreceived "
        + new String(received.getBodyAsRawBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void methodPathAndQueryArePreservedForEveryEndpoint() {
    upstream.when(request()).respond(response().withStatusCode(200)
        .withHeader("content-type", OPENAI_JSON).withBody("{}"));
    int port = proxyTo(upstreamUrl(""));
    String chat = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    List<String[]> calls = List.of(
        new String[] {"POST", "/v1/chat/completions", chat},
        new String[] {"POST", "/v1/completions", "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"hi\"}"},
        new String[] {"POST", "/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"hi\"}"},
        new String[] {"GET", "/v1/models", null},
        new String[] {"GET", "/v1/files?purpose=batch&limit=2", null},
        new String[] {"DELETE", "/v1/files/file-abc123", null});
    for (String[] call : calls) {
      HttpRequest<Buffer> request = client.request(HttpMethod.valueOf(call[0]), port, "127.0.0.1", call[1])
          .putHeader("Authorization", "Bearer sk-test");
      HttpResponse<Buffer> answer = await(call[2] == null ? request.send()
          : request.putHeader("content-type", "application/json").sendBuffer(Buffer.buffer(call[2])));
      assertEquals(200, answer.statusCode(), call[0] + " " + call[1] + " -> " + answer.bodyAsString());
    }

    org.mockserver.model.HttpRequest[] received = upstream.retrieveRecordedRequests(request());
    assertEquals(calls.size(), received.length, "one upstream request per call: " + Arrays.toString(received));
    for (int i = 0; i < calls.size(); i++) {
      String[] call = calls.get(i);
      org.mockserver.model.HttpRequest got = received[i];
      assertEquals(call[0] + " " + call[1], got.getMethod().getValue() + " " + pathAndQuery(got),
          "request " + i + " reached the upstream changed");
      if (call[2] != null) {
        assertArrayEquals(call[2].getBytes(StandardCharsets.UTF_8), got.getBodyAsRawBytes(), call[1] + " body");
      }
    }
  }

  @Test
  void baseUrlWithAPathPrefixIsHonouredAndV1IsNotDoubled() {
    upstream.when(request()).respond(response().withStatusCode(200)
        .withHeader("content-type", OPENAI_JSON).withBody("{}"));
    int v1 = proxyTo(upstreamUrl("/v1"));
    int gateway = proxyTo(upstreamUrl("/gateway/openai/v1/"));
    int prefix = proxyTo(upstreamUrl("/prefix"));

    expect(get(v1, "/v1/models"), 200);
    expect(get(gateway, "/v1/files?purpose=batch"), 200);
    expect(get(prefix, "/v1/models"), 200);

    org.mockserver.model.HttpRequest[] received = upstream.retrieveRecordedRequests(request());
    assertEquals(3, received.length, Arrays.toString(received));
    assertEquals("/v1/models", pathAndQuery(received[0]), "base URL .../v1 + /v1/models");
    assertEquals("/gateway/openai/v1/files?purpose=batch", pathAndQuery(received[1]),
        "base URL .../gateway/openai/v1/ + /v1/files");
    assertEquals("/prefix/v1/models", pathAndQuery(received[2]), "base URL .../prefix + /v1/models");
  }

  @Test
  void upstreamStatusHeadersAndBodyComeBackUnchanged() {
    byte[] body = "{\n  \"id\": \"chatcmpl-1\",\n  \"object\":\"chat.completion\", \"text\": \"é 😀 \\u00e9\"\n}\n"
        .getBytes(StandardCharsets.UTF_8);
    HttpResponse<Buffer> answer = relay(200, body, Map.of(
        "content-type", "application/json",
        "x-request-id", "req_upstream0123456789abcdef",
        "openai-processing-ms", "321",
        "openai-version", "2020-10-01",
        "openai-organization", "org-faultline",
        "x-ratelimit-limit-requests", "10000",
        "x-ratelimit-remaining-requests", "9999",
        "x-ratelimit-remaining-tokens", "199950",
        "x-ratelimit-reset-requests", "6ms"));

    assertArrayEquals(body, answer.body().getBytes(), "response body changed: " + answer.bodyAsString());
  }

  @Test
  void hopByHopHeadersStopAtTheProxyWhateverTheirCase() {
    upstream.when(request()).respond(response().withStatusCode(200).withBody("{}")
        .withHeader("Content-Type", OPENAI_JSON)
        .withHeader("Keep-Alive", "timeout=5")
        .withHeader("PROXY-CONNECTION", "keep-alive")
        .withHeader("X-Kept", "yes"));
    int port = proxyTo(upstreamUrl(""));

    HttpResponse<Buffer> answer = await(client.post(port, "127.0.0.1", "/v1/chat/completions")
        .putHeader("Authorization", "Bearer sk-test").putHeader("content-type", "application/json")
        .putHeader("Keep-Alive", "timeout=9").putHeader("Proxy-CONNECTION", "keep-alive")
        .putHeader("X-Sent", "yes")
        .sendBuffer(Buffer.buffer(ODD_BODY)));
    expect(answer, 200);

    org.mockserver.model.HttpRequest received = single(upstream.retrieveRecordedRequests(request()));
    assertEquals(List.of(), received.getHeader("keep-alive"), "keep-alive is the caller's connection's");
    assertEquals(List.of(), received.getHeader("proxy-connection"));
    assertEquals(List.of("yes"), received.getHeader("x-sent"));
    assertNull(answer.getHeader("keep-alive"), "keep-alive is the upstream connection's");
    assertNull(answer.getHeader("proxy-connection"));
    assertEquals("yes", answer.getHeader("x-kept"));
  }

  @Test
  void upstreamRateLimitErrorComesBackUnchanged() {
    byte[] error = ("{\n    \"error\": {\n        \"message\": \"Rate limit reached for gpt-4o-mini in organization "
        + "org-faultline on requests per min (RPM): Limit 3, Used 3, Requested 1.\",\n        \"type\": \"requests\",\n"
        + "        \"param\": null,\n        \"code\": \"rate_limit_exceeded\"\n    }\n}\n").getBytes(StandardCharsets.UTF_8);
    HttpResponse<Buffer> answer = relay(429, error, Map.of(
        "content-type", "application/json; charset=utf-8",
        "x-request-id", "req_ratelimited",
        "retry-after", "20",
        "retry-after-ms", "20000",
        "x-ratelimit-limit-requests", "3",
        "x-ratelimit-remaining-requests", "0",
        "x-ratelimit-reset-requests", "20s"));

    assertArrayEquals(error, answer.body().getBytes(), "error body changed: " + answer.bodyAsString());
    assertEquals(1, upstream.retrieveRecordedRequests(request()).length, "a 429 is relayed, not retried");
  }

  @Test
  void unreachableUpstreamAnswers502AndTheProxyKeepsServing() {
    int closedPort = FaultlineHarness.freePort();
    JsonObject proxy = create(new JsonObject().put("upstream", "http://127.0.0.1:" + closedPort));
    int port = proxy.getInteger("port");

    for (int attempt = 1; attempt <= 2; attempt++) {
      HttpResponse<Buffer> answer = chat(port, "Bearer sk-test");
      assertEquals(502, answer.statusCode(), "attempt " + attempt + ": " + answer.bodyAsString());
      assertTrue(answer.getHeader("content-type").startsWith("application/json"), answer.headers().toString());
      assertNotNull(answer.getHeader("x-request-id"), "the proxy names its request");
      JsonObject error = openAiError(answer);
      assertEquals("server_error", error.getString("type"), error.encode());
      assertTrue(error.getString("message").contains("127.0.0.1:" + closedPort)
          || error.getString("message").toLowerCase().contains("refused"), error.encode());
    }

    upstream.when(request()).respond(response().withStatusCode(200)
        .withHeader("content-type", OPENAI_JSON).withBody("{\"ok\":true}"));
    expect(admin(HttpMethod.PATCH, "/api/proxies/" + proxy.getString("id"),
        new JsonObject().put("upstream", upstreamUrl(""))), 200);
    HttpResponse<Buffer> healthy = chat(port, "Bearer sk-test");
    assertEquals(200, healthy.statusCode(), "same proxy, healthy upstream: " + healthy.bodyAsString());
    assertEquals(new JsonObject().put("ok", true), healthy.bodyAsJsonObject());
    assertEquals(1, upstream.retrieveRecordedRequests(request()).length);
  }

  @Test
  void invalidJsonIsRefusedWithAnOpenAiErrorAndNeverForwarded() {
    upstream.when(request()).respond(response().withStatusCode(200).withBody("{}"));
    int port = proxyTo(upstreamUrl(""));

    for (String[] bad : new String[][] {
        {"application/json", "{\"model\": \"gpt-4o-mini\", \"messages\": [}"},
        {"application/json; charset=utf-8", "{nope"},
        {null, "{\"model\":"},
        {"application/json", "[1,2,3]"},
        {"application/json", "\"just a string\""}}) {
      HttpRequest<Buffer> request = client.post(port, "127.0.0.1", "/v1/chat/completions")
          .putHeader("Authorization", "Bearer sk-test");
      if (bad[0] != null) {
        request.putHeader("content-type", bad[0]);
      }
      HttpResponse<Buffer> answer = await(request.sendBuffer(Buffer.buffer(bad[1])));
      assertEquals(400, answer.statusCode(), bad[1] + " -> " + answer.bodyAsString());
      JsonObject error = openAiError(answer);
      assertEquals("invalid_request_error", error.getString("type"), error.encode());
      assertNull(error.getValue("param"), error.encode());
      assertTrue(answer.getHeader("content-type").startsWith("application/json"), answer.headers().toString());
    }
    assertEquals(0, upstream.retrieveRecordedRequests(request()).length, "refused requests reached the upstream");
  }

  @Test
  void missingApiKeyIs401AndNeverForwarded() {
    upstream.when(request()).respond(response().withStatusCode(200).withBody("{}"));
    int port = proxyTo(upstreamUrl(""));

    for (String authorization : new String[] {null, "", "Bearer ", "Basic dXNlcjpwYXNz", "sk-test"}) {
      HttpResponse<Buffer> answer = chat(port, authorization);
      assertEquals(401, answer.statusCode(), "Authorization " + authorization + " -> " + answer.bodyAsString());
      JsonObject error = openAiError(answer);
      assertEquals("invalid_request_error", error.getString("type"), error.encode());
      assertTrue(error.getString("message").contains("API key"), error.encode());
    }
    HttpResponse<Buffer> models = await(client.get(port, "127.0.0.1", "/v1/models").send());
    assertEquals(401, models.statusCode(), "a GET without a key: " + models.bodyAsString());
    assertEquals(0, upstream.retrieveRecordedRequests(request()).length, "unauthenticated requests reached the upstream");
  }

  @Test
  void bodyOverTheLimitIs413AndNeverForwarded() {
    upstream.when(request()).respond(response().withStatusCode(200).withBody("{}"));
    int port = proxyTo(upstreamUrl(""));
    long limit = faultline.config().maxBodyBytes();
    byte[] tooBig = jsonOfSize((int) limit + 1);

    // Declared up front with content-length.
    HttpResponse<Buffer> declared = await(client.post(port, "127.0.0.1", "/v1/chat/completions")
        .putHeader("Authorization", "Bearer sk-test").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(tooBig)));
    assertEquals(413, declared.statusCode(), declared.bodyAsString());
    assertEquals("invalid_request_error", openAiError(declared).getString("type"));

    // Streamed in chunks with no length: found out while reading.
    HttpClient streaming = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    try {
      Future<Integer> status = streaming.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
              .setPort(port).setURI("/v1/chat/completions")
              .putHeader("Authorization", "Bearer sk-test").putHeader("content-type", "application/json"))
          .compose(request -> {
            request.setChunked(true);
            for (int offset = 0; offset < tooBig.length; offset += 64 * 1024) {
              request.write(Buffer.buffer(Arrays.copyOfRange(tooBig, offset, Math.min(tooBig.length, offset + 64 * 1024))));
            }
            request.end();
            return request.response().compose(response -> response.body().map(b -> response.statusCode()));
          });
      assertEquals(413, await(status), "chunked body over the limit");
    } finally {
      await(streaming.close());
    }

    // Exactly at the limit still goes through.
    HttpResponse<Buffer> atLimit = await(client.post(port, "127.0.0.1", "/v1/chat/completions")
        .putHeader("Authorization", "Bearer sk-test").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(jsonOfSize((int) limit))));
    assertEquals(200, atLimit.statusCode(), "a body of exactly the limit is accepted");
    assertEquals(1, upstream.retrieveRecordedRequests(request()).length, "only the request within the limit was forwarded");
  }

  // --- helpers -------------------------------------------------------------------------------

  private String upstreamUrl(String path) {
    return "http://127.0.0.1:" + upstream.getLocalPort() + path;
  }

  private int proxyTo(String upstreamUrl) {
    return create(new JsonObject().put("upstream", upstreamUrl)).getInteger("port");
  }

  private JsonObject create(JsonObject fields) {
    JsonObject proxy = new JsonObject().put("name", "openai-" + (++proxies)).put("provider", "openai").mergeIn(fields);
    JsonObject created = await(FaultlineHarness.createProxy(client, faultline, proxy));
    assertEquals("running", created.getString("status"), created.encode());
    return created;
  }

  /**
   * Has the upstream answer {@code status}, {@code headers} and {@code body}, sends a chat request
   * through a new proxy, and checks the status and every header came back as the upstream sent them.
   */
  private HttpResponse<Buffer> relay(int status, byte[] body, Map<String, String> headers) {
    org.mockserver.model.HttpResponse reply = response().withStatusCode(status).withBody(body);
    headers.forEach(reply::withHeader);
    upstream.when(request()).respond(reply);
    int port = proxyTo(upstreamUrl(""));

    HttpResponse<Buffer> answer = await(client.post(port, "127.0.0.1", "/v1/chat/completions")
        .putHeader("Authorization", "Bearer sk-test").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(ODD_BODY)));

    assertEquals(status, answer.statusCode(), answer.bodyAsString());
    headers.forEach((name, value) -> assertHeader(answer, name, value));
    return answer;
  }

  private HttpResponse<Buffer> admin(HttpMethod method, String path, JsonObject body) {
    HttpRequest<Buffer> request = client.request(method, faultline.adminPort(), "127.0.0.1", path);
    return await(body == null ? request.send() : request.sendJsonObject(body));
  }

  private HttpResponse<Buffer> get(int port, String uri) {
    return await(client.get(port, "127.0.0.1", uri).putHeader("Authorization", "Bearer sk-test").send());
  }

  private HttpResponse<Buffer> chat(int port, String authorization) {
    HttpRequest<Buffer> request = client.post(port, "127.0.0.1", "/v1/chat/completions")
        .putHeader("content-type", "application/json");
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    return await(request.sendBuffer(Buffer.buffer(
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
  }

  /** A valid JSON chat request of exactly {@code size} bytes. */
  private static byte[] jsonOfSize(int size) {
    String head = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"";
    String tail = "\"}]}";
    return (head + "x".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
  }

  /** The {@code error} object of an OpenAI-shaped error body, checked to have exactly OpenAI's four fields. */
  private static JsonObject openAiError(HttpResponse<Buffer> answer) {
    JsonObject body;
    try {
      body = answer.bodyAsJsonObject();
    } catch (RuntimeException e) {
      throw new AssertionError("error body is not a JSON object: " + answer.bodyAsString(), e);
    }
    assertEquals(Set.of("error"), body.fieldNames(), "top level of an OpenAI error: " + body.encode());
    JsonObject error = body.getJsonObject("error");
    assertEquals(Set.of("message", "type", "param", "code"), error.fieldNames(), "fields of an OpenAI error: "
        + body.encode());
    assertTrue(error.getValue("message") instanceof String s && !s.isBlank(), body.encode());
    assertTrue(error.getValue("type") instanceof String, body.encode());
    return error;
  }

  private static void assertHeader(HttpResponse<Buffer> answer, String name, String value) {
    assertEquals(List.of(value), answer.headers().getAll(name), "response header " + name + " in "
        + answer.headers().entries());
  }

  private static org.mockserver.model.HttpRequest single(org.mockserver.model.HttpRequest[] requests) {
    if (requests.length != 1) {
      fail("expected exactly one upstream request, got " + requests.length + ": " + Arrays.toString(requests));
    }
    return requests[0];
  }

  /** Path and query as the upstream saw them, the query rebuilt in its original order. */
  private static String pathAndQuery(org.mockserver.model.HttpRequest request) {
    StringBuilder uri = new StringBuilder(request.getPath().getValue());
    List<org.mockserver.model.Parameter> query = request.getQueryStringParameterList();
    String separator = "?";
    for (org.mockserver.model.Parameter parameter : query) {
      for (var value : parameter.getValues()) {
        uri.append(separator).append(parameter.getName().getValue()).append('=').append(value.getValue());
        separator = "&";
      }
    }
    return uri.toString();
  }
}
