package dev.faultline.api;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HealthTest {

  @Test
  void healthyWhileTheDatabaseAnswersAndDownWhenItDoesNot(Vertx vertx, @TempDir Path dataDir) {
    Faultline faultline = await(FaultlineHarness.start(vertx, dataDir));
    WebClient client = FaultlineHarness.client(vertx);

    HttpResponse<Buffer> up = await(client.get(faultline.adminPort(), "127.0.0.1", "/healthz").send());
    assertEquals(200, up.statusCode(), up.bodyAsString());
    JsonObject body = up.bodyAsJsonObject();
    assertEquals("ok", body.getString("status"));
    assertEquals("ok", body.getString("db"));
    assertEquals(Version.current(), body.getString("version"));

    // The database going away (here: its pool closed under the running host) must show.
    await(faultline.database().close());
    HttpResponse<Buffer> down = await(client.get(faultline.adminPort(), "127.0.0.1", "/healthz").send());
    assertEquals(503, down.statusCode(), down.bodyAsString());
    assertEquals("down", down.bodyAsJsonObject().getString("db"));
  }
}
