package dev.faultline.api;

import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Map;

/** A group of admin API routes a feature adds (its own {@code /api/...} paths). */
@FunctionalInterface
public interface ApiRoutes {

  /** Adds the routes; request bodies under {@code /api/} are already read (up to 1 MiB). */
  void mount(Router router);

  /**
   * Paths (regular expressions) of these routes whose request bodies are not JSON, with the media
   * types they take; every other change under {@code /api/} with a body must be JSON.
   */
  default Map<String, List<String>> bodyTypes() {
    return Map.of();
  }
}
