package dev.faultline.api;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.proxy.Echo;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An error names what is wrong and repeats what was sent, but only its beginning: ten thousand
 * characters sent by mistake do not come back (nor go to the dashboard, nor to a log) whole.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EchoedInputTest {

  private static final String LONG = "n".repeat(10_000);
  private static final String SHOWN = "n".repeat(Echo.MAX_CHARS) + "…";

  @TempDir
  Path dataDir;

  private Faultline faultline;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) {
    faultline = await(FaultlineHarness.start(vertx, dataDir));
    client = FaultlineHarness.client(vertx);
  }

  @AfterEach
  void stop() {
    await(faultline.stop());
  }

  @Test
  void aLongNameIsEchoedByItsFirstCharactersOnly() {
    JsonObject error = refused(create(new JsonObject().put("name", LONG).put("provider", "mock")), 400);

    assertEquals("name", error.getString("field"));
    assertTrue(error.getString("message").endsWith("got \"" + SHOWN + "\""), error.getString("message"));
  }

  @Test
  void everyPlaceThatRepeatsInputCapsIt() {
    JsonObject unknownField = refused(create(new JsonObject().put("name", "a").put("provider", "mock")
        .put(LONG, 1)), 400);
    JsonObject provider = refused(create(new JsonObject().put("name", "b").put("provider", LONG)), 400);
    JsonObject strategy = refused(create(new JsonObject().put("name", "c").put("provider", "mock")
        .put("faults", new JsonArray().add(new JsonObject().put("strategy", LONG)))), 400);
    JsonObject ipRule = refused(create(new JsonObject().put("name", "d").put("provider", "mock")
        .put("ip", new JsonObject().put("allow", new JsonArray().add(LONG)))), 400);
    JsonObject param = refused(create(new JsonObject().put("name", "e").put("provider", "mock")
        .put("faults", new JsonArray().add(new JsonObject().put("strategy", "http-error")
            .put("params", new JsonObject().put("status", LONG))))), 400);
    // Within the admin server's 4 KiB request line.
    JsonObject unknownId = refused(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/proxies/"
        + LONG.substring(0, 3_000)).send()), 404);

    for (JsonObject error : new JsonObject[] {unknownField, provider, strategy, ipRule, param, unknownId}) {
      String message = error.getString("message");
      assertTrue(message.length() < 1_100, "echoed whole: " + message.length() + " chars");
      assertTrue(error.getString("field") == null || error.getString("field").length() < 200, error.encode());
    }
    assertTrue(provider.getString("message").contains(SHOWN), provider.getString("message"));
    assertTrue(strategy.getString("message").contains(SHOWN), strategy.getString("message"));
    assertTrue(ipRule.getString("message").contains(SHOWN), ipRule.getString("message"));
    assertTrue(unknownId.getString("message").contains(SHOWN), unknownId.getString("message"));
    assertTrue(unknownField.getString("message").length() < 400, unknownField.getString("message"));
  }

  @Test
  void capKeepsShortTextAndWholeCharacters() {
    assertEquals("short", Echo.cap("short"));
    assertEquals("\"" + SHOWN + "\"", Echo.quote(LONG));
    String emoji = "n".repeat(Echo.MAX_CHARS - 1) + "😀😀";
    assertEquals("n".repeat(Echo.MAX_CHARS - 1) + "…", Echo.cap(emoji), "half a surrogate pair is not shown");
  }

  private HttpResponse<Buffer> create(JsonObject proxy) {
    return await(client.post(faultline.adminPort(), "127.0.0.1", "/api/proxies").sendJsonObject(proxy));
  }

  private static JsonObject refused(HttpResponse<Buffer> response, int status) {
    return FaultlineHarness.expect(response, status).bodyAsJsonObject().getJsonObject("error");
  }
}
