package dev.faultline.api;

import io.vertx.ext.web.Router;

/** A group of admin API routes a feature adds (its own {@code /api/...} paths). */
@FunctionalInterface
public interface ApiRoutes {

  /** Adds the routes; request bodies under {@code /api/} are already read (up to 1 MiB). */
  void mount(Router router);
}
