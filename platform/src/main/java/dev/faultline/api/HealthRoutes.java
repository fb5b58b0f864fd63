package dev.faultline.api;

import dev.faultline.launcher.Version;
import dev.faultline.store.Database;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /healthz}: 200 when the database answers, 503 when it does not. A feature's routes
 * may add a {@link Section} (the log writer reports what it could not write).
 */
final class HealthRoutes {

  private static final long DB_CHECK_TIMEOUT_MS = 2_000;

  private final Database database;
  private final List<Section> sections;

  /** One feature's part of the report, under its name. */
  interface Section {
    String name();

    JsonObject report();

    /** False turns the status to {@code degraded}; the HTTP status still follows the database. */
    boolean healthy();
  }

  /** @param features the features' routes; those that are a {@link Section} report here */
  HealthRoutes(Database database, List<ApiRoutes> features) {
    this.database = database;
    this.sections = features.stream().filter(Section.class::isInstance).map(Section.class::cast).toList();
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
          for (Section section : sections) {
            body.put(section.name(), section.report());
            if (!section.healthy()) {
              body.put("status", "degraded");
            }
          }
          Responses.json(ctx, up ? 200 : 503, body);
        });
  }
}
