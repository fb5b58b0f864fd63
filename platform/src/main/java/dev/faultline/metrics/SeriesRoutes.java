package dev.faultline.metrics;

import dev.faultline.access.Caller;
import dev.faultline.api.ApiRoutes;
import dev.faultline.api.Responses;
import dev.faultline.proxy.control.ProxyManager;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/metrics/series?proxy=&window=5m|15m|1h|6h|24h&step=}: what the charts draw,
 * one point per step over the window, with the changes and fault windows to mark on the time
 * axis. A person sees their own proxies; another's proxy is a 404, as one that does not exist.
 */
final class SeriesRoutes implements ApiRoutes {

  private static final Set<String> PARAMS = Set.of("proxy", "window", "step");

  private final ProxyManager proxies;
  private final SeriesStore store;

  SeriesRoutes(ProxyManager proxies, SeriesStore store) {
    this.proxies = proxies;
    this.store = store;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/metrics/series").handler(this::series);
  }

  private void series(RoutingContext ctx) {
    MultiMap params = ctx.queryParams();
    SeriesRange range;
    String proxy;
    try {
      for (String name : params.names()) {
        if (!PARAMS.contains(name)) {
          throw new Responses.BadRequest(name, name + ": unknown parameter; this endpoint takes proxy, window, step");
        }
        if (params.getAll(name).size() > 1) {
          throw new Responses.BadRequest(name, name + ": given " + params.getAll(name).size() + " times; give it once");
        }
      }
      proxy = single(params, "proxy");
      range = SeriesRange.parse(single(params, "window"), single(params, "step"), System.currentTimeMillis());
    } catch (Responses.BadRequest bad) {
      Responses.failure(ctx, bad);
      return;
    }
    Caller caller = Caller.of(ctx);
    SeriesJson.Viewer viewer = new SeriesJson.Viewer(caller.userId(), caller.admin());
    Responses.reply(ctx, 200, scope(caller, proxy).compose(ids -> store.series(range, ids, viewer)));
  }

  /** The proxy ids to read: the one asked for if the caller may see it, else all theirs ({@code null}: all rows, for an admin). */
  private Future<List<String>> scope(Caller caller, String proxy) {
    if (proxy != null) {
      return proxies.visible(caller, proxy).map(found -> List.of(found.id()));
    }
    // An admin also sees the traffic of proxies deleted since, as the logs do.
    return caller.admin() ? Future.succeededFuture(null) : proxies.visibleIds(caller);
  }

  private static String single(MultiMap params, String name) {
    String value = params.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
