package dev.faultline.api;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.io.TempDir;

/** Every admin route is in the OpenAPI contract, and the contract names no route the server lacks. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenApiCoverageTest {

  /** Handlers for every method in front of the routes (guard, gate, body reading, proxy access). */
  private static final Set<String> IN_FRONT = Set.of("/api/", "/metrics", "/api/proxies/:id", "/api/proxies/:id/");
  /** The SockJS event-bus bridge: frames over WebSocket, not a JSON route (the README's Event bus describes it). */
  private static final String EVENT_BUS = "/eventbus/";
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedRouteExists(Vertx vertx, @TempDir Path dataDir) {
    Faultline faultline = await(FaultlineHarness.start(vertx, dataDir));
    // The contract as served (anonymously: it is public), not as the jar holds it.
    HttpResponse<Buffer> served = await(FaultlineHarness.anonymous(vertx)
        .get(faultline.adminPort(), "127.0.0.1", OpenApiRoutes.PATH).send());
    assertEquals(200, served.statusCode(), served.bodyAsString());
    JsonObject contract = served.bodyAsJsonObject();
    assertEquals("3.1.0", contract.getString("openapi"));

    Set<String> documented = new TreeSet<>();
    contract.getJsonObject("paths").forEach(path -> ((JsonObject) path.getValue()).fieldNames().stream()
        .filter(METHODS::contains)
        .forEach(method -> documented.add(method.toUpperCase() + " " + path.getKey())));

    Set<String> mounted = new TreeSet<>();
    Set<String> unexplained = new TreeSet<>();
    for (Route route : faultline.adminRoutes()) {
      String path = route.getPath();
      boolean anyMethod = route.methods() == null || route.methods().isEmpty();
      if (path == null) {
        // Regular expressions: the dashboard's pages, and the guard in front of everything.
        assertTrue(route.getName() == null || !Pattern.compile(route.getName()).matcher("/api/proxies").matches(),
            "a regex route under /api: " + route.getName());
        continue;
      }
      if (anyMethod) {
        if (!IN_FRONT.contains(path) && !path.equals(EVENT_BUS)) {
          unexplained.add("* " + path);
        }
        continue;
      }
      String openApiPath = path.replaceAll(":([A-Za-z_]+)", "{$1}");
      route.methods().forEach(method -> mounted.add(method.name() + " " + openApiPath));
    }

    Set<String> undocumented = new TreeSet<>(mounted);
    undocumented.removeAll(documented);
    Set<String> missing = new TreeSet<>(documented);
    missing.removeAll(mounted);
    assertTrue(undocumented.isEmpty(), "routes the contract does not document: " + undocumented);
    assertTrue(missing.isEmpty(), "documented routes the server does not have: " + missing);
    assertTrue(unexplained.isEmpty(), "routes for every method this test does not know: " + unexplained);
    assertTrue(mounted.contains("GET /api/proxies/{id}/faults"), "the walk saw the features' routes: " + mounted);
  }
}
