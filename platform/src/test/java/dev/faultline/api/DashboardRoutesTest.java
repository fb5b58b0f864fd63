package dev.faultline.api;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** How the admin port serves the built dashboard next to the API, over real HTTP. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DashboardRoutesTest {

  private static final String PAGE = "text/html,application/xhtml+xml,*/*;q=0.8";

  @TempDir
  Path dataDir;

  private Faultline faultline;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) {
    assertNotNull(getClass().getClassLoader().getResource(DashboardRoutes.WEBROOT + "/index.html"),
        "the built dashboard is not on the classpath: build webapp/ first (mvn install from the top)");
    faultline = await(FaultlineHarness.start(vertx, dataDir));
    client = FaultlineHarness.client(vertx);
  }

  @AfterEach
  void stop() {
    if (faultline != null) {
      await(faultline.stop());
    }
  }

  @Test
  void indexIsRevalidatedAndHashedAssetsAreKeptForAYear() {
    HttpResponse<Buffer> index = get("/", PAGE);
    assertEquals(200, index.statusCode());
    assertTrue(index.getHeader("content-type").startsWith("text/html"), index.getHeader("content-type"));
    assertEquals("no-cache", index.getHeader("cache-control"));

    Matcher script = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(index.bodyAsString());
    assertTrue(script.find(), "index.html names its script: " + index.bodyAsString());
    HttpResponse<Buffer> asset = get(script.group(1), "*/*");
    assertEquals(200, asset.statusCode());
    assertTrue(asset.getHeader("content-type").contains("javascript"), asset.getHeader("content-type"));
    assertEquals("public, max-age=31536000, immutable", asset.getHeader("cache-control"));

    HttpResponse<Buffer> missing = get("/assets/index-0000.js", "*/*");
    assertEquals(404, missing.statusCode());
    assertNull(missing.getHeader("cache-control"), "a missing asset's 404 must not be cached");
  }

  @Test
  void aPageLoadOfAnAppPathGetsTheAppButApiClientsGetJsonErrors() {
    HttpResponse<Buffer> deepLink = get("/proxies/prx_123/cache", PAGE);
    assertEquals(200, deepLink.statusCode());
    assertEquals(get("/", PAGE).bodyAsString(), deepLink.bodyAsString(), "an app path loads index.html");

    HttpResponse<Buffer> api = get("/api/no-such-thing", PAGE);
    assertEquals(404, api.statusCode());
    assertEquals("no such endpoint: GET /api/no-such-thing", api.bodyAsJsonObject().getJsonObject("error").getString("message"));

    HttpResponse<Buffer> notAPage = get("/proxies/prx_123", "application/json");
    assertEquals(404, notAPage.statusCode());
    assertEquals(404, notAPage.bodyAsJsonObject().getJsonObject("error").getInteger("status"));

    HttpResponse<Buffer> health = get("/healthz", PAGE);
    assertEquals("ok", health.bodyAsJsonObject().getString("status"), "routes mounted before the dashboard win");
  }

  private HttpResponse<Buffer> get(String path, String accept) {
    return await(client.get(faultline.adminPort(), "127.0.0.1", path).putHeader("accept", accept).send());
  }
}
