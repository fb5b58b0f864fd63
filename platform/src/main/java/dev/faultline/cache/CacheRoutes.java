package dev.faultline.cache;

import dev.faultline.api.ApiRoutes;
import dev.faultline.api.Responses;
import dev.faultline.proxy.Echo;
import dev.faultline.proxy.ProxyException;
import dev.faultline.proxy.control.ProxyManager;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code /api/proxies/:id/cache}: list a proxy's cache entries with its hit rate, invalidate all
 * or one, and export or import it as a cassette. The cache's settings are the proxy's
 * {@code cache} block ({@code PATCH /api/proxies/:id}).
 */
final class CacheRoutes implements ApiRoutes {

  /**
   * On export and import: the API key whose tenant the entries belong to. A cassette holds no
   * tenant; the importer says which callers its entries answer.
   */
  static final String API_KEY_HEADER = "X-Faultline-Api-Key";
  /** Cassettes outgrow the admin API's 1 MiB bodies; this is the import's own limit. */
  static final long MAX_CASSETTE_BYTES = 128L * 1024 * 1024;
  private static final int MAX_PAGE = 1000;
  private static final String IMPORT = "/api/proxies/:id/cache/import";
  /** A cassette is NDJSON; plain JSON is taken too, as a single-line cassette is both. */
  static final List<String> CASSETTE_TYPES = List.of("application/x-ndjson", "application/json");

  private final CacheAdmin cache;
  private final ProxyManager proxies;

  CacheRoutes(CacheAdmin cache, ProxyManager proxies) {
    this.cache = cache;
    this.proxies = proxies;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/proxies/:id/cache").handler(this::describe);
    router.delete("/api/proxies/:id/cache").handler(ctx -> withProxy(ctx, proxy -> cache.clear(proxy.getString("id"))
        .map(count -> new JsonObject().put("deleted", count))));
    router.get("/api/proxies/:id/cache/export").handler(this::export);
    router.delete("/api/proxies/:id/cache/:key").handler(this::remove);
    // Read this body before the admin API's 1 MiB body handler sees it; that one then passes.
    router.post(IMPORT).order(-1).handler(BodyHandler.create(false).setBodyLimit(MAX_CASSETTE_BYTES))
        .failureHandler(ctx -> {
          if (ctx.statusCode() == 413) {
            Responses.error(ctx, 413, "cassette", "cassette: larger than " + MAX_CASSETTE_BYTES / (1024 * 1024)
                + " MiB; export fewer entries (one tenant's, with " + API_KEY_HEADER + ")");
          } else {
            ctx.next();
          }
        });
    router.post(IMPORT).handler(ctx -> withProxy(ctx, proxy -> cache.importCassette(proxy.getString("id"),
        proxy.getString("provider"), settings(proxy), apiKey(ctx), ctx.body().buffer())));
  }

  @Override
  public Map<String, List<String>> bodyTypes() {
    return Map.of("/api/proxies/[^/]+/cache/import", CASSETTE_TYPES);
  }

  private void describe(RoutingContext ctx) {
    int limit;
    int offset;
    try {
      limit = integer(ctx, "limit", 100, 1, MAX_PAGE);
      offset = integer(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    } catch (ProxyException e) {
      Responses.failure(ctx, e);
      return;
    }
    withProxy(ctx, proxy -> cache.describe(proxy.getString("id"), settings(proxy), limit, offset));
  }

  private void remove(RoutingContext ctx) {
    proxies.get(ctx.pathParam("id"))
        .compose(proxy -> cache.remove(proxy.getString("id"), ctx.pathParam("key")))
        .onSuccess(deleted -> {
          if (deleted) {
            ctx.response().setStatusCode(204).end();
          } else {
            Responses.error(ctx, 404, "key", "key: proxy " + ctx.pathParam("id") + " has no cache entry '"
                + ctx.pathParam("key") + "'");
          }
        })
        .onFailure(e -> Responses.failure(ctx, e));
  }

  private void export(RoutingContext ctx) {
    proxies.get(ctx.pathParam("id")).onFailure(e -> Responses.failure(ctx, e)).onSuccess(proxy -> {
      HttpServerResponse response = ctx.response()
          .setChunked(true)
          .putHeader("content-type", "application/x-ndjson")
          .putHeader("content-disposition", "attachment; filename=\"faultline-cassette-" + proxy.getString("name")
              .replaceAll("[^A-Za-z0-9._-]", "_") + ".ndjson\"");
      cache.export(proxy.getString("id"), proxy.getString("provider"), proxy.getString("name"), apiKey(ctx), response)
          .onSuccess(v -> response.end())
          // Bytes are out already: a cut connection is the only honest way to say it failed.
          .onFailure(e -> response.reset());
    });
  }

  private void withProxy(RoutingContext ctx, Function<JsonObject, Future<?>> action) {
    Responses.reply(ctx, 200, proxies.get(ctx.pathParam("id")).compose(action::apply));
  }

  private static CacheSettings settings(JsonObject proxy) {
    return CacheSettings.of(proxy.getValue(CacheSettings.NAME));
  }

  private static String apiKey(RoutingContext ctx) {
    String key = ctx.request().getHeader(API_KEY_HEADER);
    return key == null || key.isBlank() ? null : key.trim();
  }

  private static int integer(RoutingContext ctx, String name, int fallback, int min, int max) {
    String text = ctx.queryParams().get(name);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ProxyException.invalid(name, "must be an integer from " + min + " to " + max + ", got " + Echo.quote(text));
  }
}
