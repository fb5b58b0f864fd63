package dev.faultline.api;

import dev.faultline.launcher.Version;
import dev.faultline.store.Database;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;

/** {@code GET /healthz}: 200 when the database answers, 503 when it does not. */
final class HealthRoutes {

  private static final long DB_CHECK_TIMEOUT_MS = 2_000;

  private final Database database;

  HealthRoutes(Database database) {
    this.database = database;
  }

  void mount(Router router) {
    router.get("/healthz").handler(this::health);
  }

  private void health(RoutingContext ctx) {
    database.ping()
        .timeout(DB_CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onComplete(result -> {
          boolean up = result.succeeded();
          JsonObject body = new JsonObject()
              .put("status", up ? "ok" : "degraded")
              .put("version", Version.current())
              .put("db", up ? "ok" : "down");
          if (!up) {
            body.put("db_error", String.valueOf(result.cause().getMessage()));
          }
          Responses.json(ctx, up ? 200 : 503, body);
        });
  }
}
