package dev.faultline.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/openapi.json}: the admin API's OpenAPI 3.1 contract, public like the sign-in
 * routes (it describes the routes, never anyone's data), so a client generator needs no token.
 */
final class OpenApiRoutes {

  static final String PATH = "/api/openapi.json";
  private static final String RESOURCE = "/openapi.json";

  private final Buffer document;

  private OpenApiRoutes(Buffer document) {
    this.document = document;
  }

  /** Reads the document once, on a worker: it is a file in the jar. */
  static Future<OpenApiRoutes> load(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("openapi.json is missing from the platform jar");
        }
        return new OpenApiRoutes(Buffer.buffer(in.readAllBytes()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  void mount(Router router) {
    router.get(PATH).handler(ctx -> ctx.response().putHeader("content-type", "application/json").end(document));
  }
}
