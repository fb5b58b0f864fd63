package dev.faultline.api;

import dev.faultline.store.Database;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /healthz}: 200 when the database answers, 503 when it does not, with each feature's
 * {@link HealthSection} (the log writer reports what it could not write).
 */
final class HealthRoutes {

  private static final long DB_CHECK_TIMEOUT_MS = 2_000;

  private final Database database;
  private final List<HealthSection> sections;

  HealthRoutes(Database database, List<HealthSection> sections) {
    this.database = database;
    this.sections = List.copyOf(sections);
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
          for (HealthSection section : sections) {
            body.put(section.name(), section.report());
            if (!section.healthy()) {
              body.put("status", "degraded");
            }
          }
          Responses.json(ctx, up ? 200 : 503, body);
        });
  }
}
