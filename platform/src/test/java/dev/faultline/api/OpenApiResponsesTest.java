package dev.faultline.api;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.nio.file.Path;
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
 * Real answers of a real Faultline, successes and errors, validated against the OpenAPI contract it
 * serves, by Vert.x's own OpenAPI validator.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OpenApiResponsesTest {

  private static final JsonObject CHAT = new JsonObject().put("model", "gpt-4o-mini")
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));

  @TempDir
  static Path dataDir;
  private static Vertx vertx;
  private static Faultline faultline;
  private static WebClient client;
  private static ResponseValidator validator;

  private final List<String> failures = new ArrayList<>();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    faultline = await(FaultlineHarness.start(vertx, dataDir));
    client = FaultlineHarness.client(vertx);
    JsonObject served = expect(await(client.get(faultline.adminPort(), "127.0.0.1", OpenApiRoutes.PATH).send()), 200)
        .bodyAsJsonObject();
    validator = ResponseValidator.create(vertx, await(OpenAPIContract.from(vertx, validatable(served))));
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  @Test
  void aProxysWholeLifeAnswersAsDocumented() {
    check("listProxies", send(HttpMethod.GET, "/api/proxies", null), 200);
    JsonObject proxy = check("createProxy", send(HttpMethod.POST, "/api/proxies",
        new JsonObject().put("name", "contract").put("provider", "mock")), 201).bodyAsJsonObject();
    String path = "/api/proxies/" + proxy.getString("id");
    check("getProxy", send(HttpMethod.GET, path, null), 200);
    check("updateProxy", send(HttpMethod.PATCH, path, new JsonObject().put("name", "contract-2")), 200);
    assertEquals(200, await(client.post(proxy.getInteger("port"), "127.0.0.1", "/v1/chat/completions")
        .putHeader("Authorization", "Bearer sk-test").sendJsonObject(CHAT)).statusCode(), "the proxy serves");
    check("getFaults", send(HttpMethod.GET, path + "/faults", null), 200);
    check("setFaults", send(HttpMethod.PUT, path + "/faults", new JsonArray().add(new JsonObject()
        .put("strategy", "http-error").put("rate", 0.5).put("params", new JsonObject().put("status", 503)))), 200);
    check("listFaultStrategies", send(HttpMethod.GET, "/api/faults/strategies", null), 200);
    check("getCache", send(HttpMethod.GET, path + "/cache", null), 200);
    check("clearCache", send(HttpMethod.DELETE, path + "/cache", null), 200);
    check("stopProxy", send(HttpMethod.POST, path + "/stop", null), 200);
    check("startProxy", send(HttpMethod.POST, path + "/start", null), 200);
    check("listLogs", loggedOnce(), 200);
    check("getMetrics", send(HttpMethod.GET, "/api/metrics?window=15m", null), 200);
    check("getMetricSeries", send(HttpMethod.GET, "/api/metrics/series?window=5m", null), 200);
    check("deleteProxy", send(HttpMethod.DELETE, path, null), 204);
    check("getProxy", send(HttpMethod.GET, path, null), 404);
    assertNoFailures();
  }

  @Test
  void theHostAndTheAccountsAnswerAsDocumented() {
    check("getHealth", await(client.get(faultline.adminPort(), "127.0.0.1", "/healthz").send()), 200);
    check("listPlugins", send(HttpMethod.GET, "/api/plugins", null), 200);
    check("getMe", send(HttpMethod.GET, "/api/auth/me", null), 200);
    check("getAuthConfig", await(FaultlineHarness.anonymous(vertx)
        .get(faultline.adminPort(), "127.0.0.1", "/api/auth/config").send()), 200);
    check("listUsers", send(HttpMethod.GET, "/api/users", null), 200);
    // Tokens are made by a signed-in person, not by a token: sign in first.
    JsonObject session = check("login", await(FaultlineHarness.anonymous(vertx)
        .post(faultline.adminPort(), "127.0.0.1", "/api/auth/login").sendJsonObject(new JsonObject()
            .put("email", FaultlineHarness.ADMIN_EMAIL).put("password", FaultlineHarness.ADMIN_PASSWORD))), 200)
        .bodyAsJsonObject();
    String bearer = "Bearer " + session.getString("token");
    JsonObject token = check("createToken", await(client.post(faultline.adminPort(), "127.0.0.1", "/api/tokens")
        .putHeader("Authorization", bearer).sendJsonObject(new JsonObject().put("name", "ci"))), 201)
        .bodyAsJsonObject();
    check("listTokens", send(HttpMethod.GET, "/api/tokens", null), 200);
    check("revokeToken", send(HttpMethod.DELETE, "/api/tokens/" + token.getString("id"), null), 204);
    check("listAudit", send(HttpMethod.GET, "/api/audit?limit=10", null), 200);
    assertNoFailures();
  }

  @Test
  void errorsAnswerAsDocumented() {
    check("getProxy", send(HttpMethod.GET, "/api/proxies/prx_nothing", null), 404);
    check("createProxy", send(HttpMethod.POST, "/api/proxies", new JsonObject().put("name", "no-provider")), 400);
    check("createProxy", send(HttpMethod.POST, "/api/proxies",
        new JsonObject().put("name", "typo").put("provider", "mock").put("prot", 1)), 400);
    check("listLogs", send(HttpMethod.GET, "/api/logs?limit=0", null), 400);
    check("getMetricSeries", send(HttpMethod.GET, "/api/metrics/series?window=3y", null), 400);
    check("listProxies", await(FaultlineHarness.anonymous(vertx)
        .get(faultline.adminPort(), "127.0.0.1", "/api/proxies").send()), 401);
    assertNoFailures();
  }

  /** The validator knows the contract's operations: an answer it was not written for is refused. */
  @Test
  void anAnswerOutsideTheContractIsRefused() {
    assertTrue(validate("getHealth", send(HttpMethod.GET, "/api/proxies", null)).failed(),
        "a proxy list is not a health report");
    assertTrue(validate("getProxy", ValidatableResponse.create(200, new JsonObject().put("id", "prx_1").toBuffer(),
        "application/json")).failed(), "a proxy without name, provider, port or status");
    assertTrue(validate("getProxy", ValidatableResponse.create(404, new JsonObject().put("message", "gone").toBuffer(),
        "application/json")).failed(), "an error outside the error shape");
  }

  /** Waits (bounded) for the chat sent above to be written, so an entry is validated too. */
  private HttpResponse<Buffer> loggedOnce() {
    long deadline = System.currentTimeMillis() + 10_000;
    HttpResponse<Buffer> logs = send(HttpMethod.GET, "/api/logs", null);
    while (logs.statusCode() == 200 && logs.bodyAsJsonObject().getJsonArray("entries").isEmpty()
        && System.currentTimeMillis() < deadline) {
      await(vertx.timer(100));
      logs = send(HttpMethod.GET, "/api/logs", null);
    }
    assertEquals(1, logs.bodyAsJsonObject().getJsonArray("entries").size(), "the chat was logged: " + logs.bodyAsString());
    return logs;
  }

  private static HttpResponse<Buffer> send(HttpMethod method, String uri, Object body) {
    HttpRequest<Buffer> request = client.request(method, faultline.adminPort(), "127.0.0.1", uri);
    return await(body == null ? request.send() : request.putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(body.toString())));
  }

  /** Checks the status, then the answer against the operation; a mismatch is noted, the next call still made. */
  private HttpResponse<Buffer> check(String operationId, HttpResponse<Buffer> response, int status) {
    expect(response, status);
    Future<?> validated = validate(operationId, response);
    if (validated.failed()) {
      failures.add(operationId + " " + status + ": " + validated.cause().getMessage() + "\n  " + response.bodyAsString());
    }
    return response;
  }

  private static Future<?> validate(String operationId, HttpResponse<Buffer> response) {
    ValidatableResponse answer = response.body() == null || response.body().length() == 0
        ? ValidatableResponse.create(response.statusCode())
        : ValidatableResponse.create(response.statusCode(), response.body(), response.getHeader("content-type"));
    return validate(operationId, answer);
  }

  private static Future<?> validate(String operationId, ValidatableResponse answer) {
    try {
      Future<?> validated = validator.validate(answer, operationId);
      validated.await(10, TimeUnit.SECONDS);
      return validated;
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  private void assertNoFailures() {
    assertTrue(failures.isEmpty(), "answers the contract does not describe:\n" + String.join("\n", failures));
  }

  private static HttpResponse<Buffer> expect(HttpResponse<Buffer> response, int status) {
    return FaultlineHarness.expect(response, status);
  }

  /**
   * The contract without the media types vertx-openapi 5.0 cannot read (server-sent events, CSV and
   * NDJSON exports, the cassette import): it refuses a whole contract naming one. Their JSON
   * answers, errors included, stay and are validated.
   */
  private static JsonObject validatable(JsonObject contract) {
    JsonObject copy = contract.copy();
    strip(copy);
    return copy;
  }

  private static void strip(Object node) {
    if (node instanceof JsonObject object) {
      if (object.getValue("content") instanceof JsonObject content) {
        content.fieldNames().removeIf(type -> !MediaType.isMediaTypeSupported(type));
        if (content.isEmpty()) {
          object.remove("content");
        }
      }
      object.forEach(entry -> strip(entry.getValue()));
      if (object.getValue("requestBody") instanceof JsonObject body && !body.containsKey("content")) {
        object.remove("requestBody");
      }
    } else if (node instanceof JsonArray array) {
      array.forEach(OpenApiResponsesTest::strip);
    }
  }
}
