package dev.faultline.api;

import io.vertx.core.json.JsonObject;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** A feature's part of {@code GET /healthz}, under its name (the log writer, the cache's database). */
public interface HealthSection {

  String name();

  JsonObject report();

  /** False turns the status to {@code degraded}; the HTTP status still follows the database. */
  boolean healthy();

  /** A section that reads {@code report} and {@code healthy} afresh at each request. */
  static HealthSection of(String name, Supplier<JsonObject> report, BooleanSupplier healthy) {
    return new HealthSection() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public JsonObject report() {
        return report.get();
      }

      @Override
      public boolean healthy() {
        return healthy.getAsBoolean();
      }
    };
  }
}
