package dev.faultline.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The dashboard at {@code /}: the files of {@code webapp/dist}, which the build puts in the jar
 * under {@code webroot/}. Mounted after every other route, so {@code /api}, {@code /healthz},
 * {@code /metrics} and {@code /eventbus} win.
 */
public final class DashboardRoutes implements ApiRoutes {

  static final String WEBROOT = "webroot";
  private static final String INDEX = WEBROOT + "/index.html";
  private static final String ASSETS = "/assets/";
  private static final String OUTSIDE_API = "^/(?!api/).*";
  private static final String IMMUTABLE = "public, max-age=" + 365L * 24 * 3600 + ", immutable";

  @Override
  public void mount(Router router) {
    // Vite names each asset after its content's hash: a changed file gets a new name, so a browser
    // may keep what it has forever. index.html names the current ones, so it is revalidated always.
    // Only what is found: a missing asset's 404 must not be kept for a year.
    router.getWithRegex(OUTSIDE_API).handler(ctx -> {
      String caching = ctx.normalizedPath().startsWith(ASSETS) ? IMMUTABLE : "no-cache";
      ctx.addHeadersEndHandler(v -> {
        if (ctx.response().getStatusCode() < 400) {
          ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, caching);
        }
      });
      ctx.next();
    });
    router.getWithRegex(OUTSIDE_API).handler(StaticHandler.create(WEBROOT).setCachingEnabled(false)
        .setDirectoryListing(false));
    router.getWithRegex(OUTSIDE_API).handler(DashboardRoutes::pageOfTheApp);
  }

  /**
   * The dashboard routes in the browser ({@code /proxies/prx_…}): a page load of such a path gets
   * index.html. Only for browsers asking for a page; an API client asking a wrong path still gets
   * the JSON 404.
   */
  private static void pageOfTheApp(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
    if (path.startsWith(ASSETS) || accept == null || !accept.contains("text/html")) {
      ctx.next();
      return;
    }
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8").sendFile(INDEX)
        .onFailure(e -> {
          if (!ctx.response().headWritten()) {
            Responses.error(ctx, 404, null, "the dashboard is not in this build: build webapp/ (mvn install) and restart");
          }
        });
  }
}
