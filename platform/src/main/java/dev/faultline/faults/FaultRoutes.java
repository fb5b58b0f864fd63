package dev.faultline.faults;

import dev.faultline.api.ApiRoutes;
import dev.faultline.api.Responses;
import dev.faultline.proxy.control.ProxyManager;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /api/proxies/:id/faults}: read and replace a proxy's faults (its {@code faults} block),
 * effective on its next request with no restart, and starting afresh; {@code /api/faults/strategies}: the strategies
 * loaded, with their parameters.
 */
public final class FaultRoutes implements ApiRoutes {

  private static final String FAULTS = "faults";

  private final ProxyManager proxies;
  private final FaultsFeature faults;

  public FaultRoutes(ProxyManager proxies, FaultsFeature faults) {
    this.proxies = proxies;
    this.faults = faults;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/faults/strategies").handler(ctx -> Responses.json(ctx, 200, faults.catalog().describe()));
    router.get("/api/proxies/:id/faults").handler(ctx -> reply(ctx, proxies.get(ctx.pathParam("id"))));
    router.put("/api/proxies/:id/faults").handler(this::replace);
  }

  /** Takes an array of entries, or the shorthand object; refused as a whole, naming the field. */
  private void replace(RoutingContext ctx) {
    Object body;
    try {
      body = ctx.body().buffer() == null ? null : ctx.body().buffer().toJsonValue();
    } catch (DecodeException e) {
      Responses.failure(ctx, new Responses.BadRequest(FAULTS, "faults: the body is not JSON: " + e.getMessage()));
      return;
    }
    if (body == null) {
      Responses.failure(ctx, new Responses.BadRequest(FAULTS, "faults: a JSON array of fault entries is required"));
      return;
    }
    // A PUT means these faults from now: their state (a limiter's buckets) starts afresh, even
    // when the list is unchanged.
    String id = ctx.pathParam("id");
    reply(ctx, faults.setAfresh(id, () -> proxies.update(id, new JsonObject().put(FAULTS, body))));
  }

  private static void reply(RoutingContext ctx, Future<JsonObject> proxy) {
    Responses.reply(ctx, 200, proxy.map(view -> view.getValue(FAULTS)));
  }
}
