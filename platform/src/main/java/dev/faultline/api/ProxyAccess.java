package dev.faultline.api;

import dev.faultline.access.Caller;
import dev.faultline.proxy.control.ProxyManager;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Every route about one proxy ({@code /api/proxies/:id} and everything under it, whichever feature
 * mounted it) is reached only by the proxy's owner or an admin. Anyone else gets the 404 of a proxy
 * that does not exist: nobody learns what others have. One check for all of them, so a route a
 * feature adds later cannot forget it.
 */
final class ProxyAccess {

  /** After the sign-in gate, before any feature's route (the cassette import's own body reader included). */
  static final int ORDER = -7;

  private ProxyAccess() {
  }

  static void mount(Router router, ProxyManager proxies) {
    router.route("/api/proxies/:id").order(ORDER).handler(ctx -> check(ctx, proxies));
    router.route("/api/proxies/:id/*").order(ORDER).handler(ctx -> check(ctx, proxies));
  }

  private static void check(RoutingContext ctx, ProxyManager proxies) {
    HttpServerRequest request = ctx.request();
    boolean paused = !request.isEnded();
    if (paused) {
      request.pause();
    }
    proxies.visible(Caller.of(ctx), ctx.pathParam("id")).onComplete(result -> {
      if (result.failed()) {
        Responses.failure(ctx, result.cause());
      } else {
        ctx.next();
      }
      if (paused) {
        request.resume();
      }
    });
  }
}
