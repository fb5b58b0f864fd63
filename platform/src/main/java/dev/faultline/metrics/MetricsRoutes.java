package dev.faultline.metrics;

import dev.faultline.access.Caller;
import dev.faultline.api.ApiRoutes;
import dev.faultline.api.Responses;
import dev.faultline.proxy.control.ProxyManager;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/metrics?proxy=&window=1m|15m|1h} (rolling aggregates as JSON) and
 * {@code GET /metrics} (Micrometer's registry in Prometheus' text format, for a scraper). Who is not an admin
 * sees their own proxies' metrics only: without {@code proxy=}, theirs together; someone else's
 * {@code proxy=} is answered as a proxy that does not exist.
 */
final class MetricsRoutes implements ApiRoutes {

  private static final Set<String> PARAMS = Set.of("proxy", "window");

  private final Vertx vertx;
  private final ProxyManager proxies;
  private final PrometheusMeterRegistry registry;

  MetricsRoutes(Vertx vertx, ProxyManager proxies, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.proxies = proxies;
    this.registry = registry;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/metrics").handler(this::metrics);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
  }

  private void metrics(RoutingContext ctx) {
    for (String name : ctx.queryParams().names()) {
      if (!PARAMS.contains(name)) {
        Responses.failure(ctx, new Responses.BadRequest(name, name + ": unknown parameter; this endpoint takes proxy, "
            + "window"));
        return;
      }
    }
    String proxy = first(ctx.queryParam("proxy"));
    String label = first(ctx.queryParam("window"));
    Window window = label == null ? Window.ONE_MINUTE : Window.parse(label).orElse(null);
    if (window == null) {
      Responses.failure(ctx, new Responses.BadRequest("window", "window: must be 1m, 15m or 1h, got \"" + label + "\""));
      return;
    }
    Responses.reply(ctx, 200, snapshot(Caller.of(ctx), proxy, window));
  }

  private Future<JsonObject> snapshot(Caller caller, String proxy, Window window) {
    if (caller.admin()) {
      return MetricsVerticle.snapshot(vertx, proxy, window);
    }
    return proxy != null ? proxies.visible(caller, proxy).compose(v -> MetricsVerticle.snapshot(vertx, proxy, window))
        : proxies.visibleIds(caller).compose(ids -> MetricsVerticle.snapshot(vertx, ids, window));
  }

  private static String first(List<String> values) {
    return values.isEmpty() || values.get(0).isBlank() ? null : values.get(0).trim();
  }
}
