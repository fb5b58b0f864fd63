package dev.faultline.api;

import dev.faultline.access.AuditTarget;
import dev.faultline.access.Caller;
import dev.faultline.proxy.control.ProxyManager;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * {@code /api/proxies}: create, list, read, change, delete, start and stop proxies. A person sees
 * and acts on their own; {@link ProxyAccess} has checked that before any route with an id runs.
 */
final class ProxyRoutes {

  private final ProxyManager proxies;

  ProxyRoutes(ProxyManager proxies) {
    this.proxies = proxies;
  }

  void mount(Router router) {
    router.get("/api/proxies").handler(ctx -> Responses.reply(ctx, 200, proxies.list(Caller.of(ctx))));
    router.post("/api/proxies").handler(this::create);
    router.get("/api/proxies/:id").handler(ctx -> Responses.reply(ctx, 200, proxies.get(id(ctx))));
    router.patch("/api/proxies/:id").handler(ctx -> withBody(ctx, body -> proxies.update(id(ctx), body), 200));
    router.delete("/api/proxies/:id").handler(ctx -> proxies.delete(id(ctx))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(e -> Responses.failure(ctx, e)));
    router.post("/api/proxies/:id/start").handler(ctx -> Responses.reply(ctx, 200, proxies.start(id(ctx))));
    router.post("/api/proxies/:id/stop").handler(ctx -> Responses.reply(ctx, 200, proxies.stop(id(ctx))));
  }

  private void create(RoutingContext ctx) {
    Caller caller = Caller.of(ctx);
    if (!caller.verified()) {
      Responses.error(ctx, 403, null, "verify your email first: open the link in the mail Faultline sent to "
          + caller.email() + " (POST /api/auth/verify/resend sends a new one)");
      return;
    }
    withBody(ctx, body -> proxies.create(body, caller.userId())
        .onSuccess(created -> AuditTarget.set(ctx, created.getString("id"))), 201);
  }

  private static String id(RoutingContext ctx) {
    return ctx.pathParam("id");
  }

  private static void withBody(RoutingContext ctx, Function<JsonObject, Future<?>> action, int status) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      Responses.failure(ctx, new Responses.BadRequest(null, "body: must be a JSON object: " + e.getMessage()));
      return;
    }
    if (body == null) {
      Responses.failure(ctx, new Responses.BadRequest(null, "body: a JSON object is required"));
      return;
    }
    Future<?> result;
    try {
      result = action.apply(body);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    Responses.reply(ctx, status, result);
  }
}
