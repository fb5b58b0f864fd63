package dev.faultline.auth;

import dev.faultline.access.Caller;
import dev.faultline.api.ApiRoutes;
import dev.faultline.api.Responses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /api/audit?limit=&before=}: the audit trail, newest first; an admin's is everyone's. */
final class AuditRoutes implements ApiRoutes {

  private final AuditTrail audit;

  AuditRoutes(AuditTrail audit) {
    this.audit = audit;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/audit").handler(ctx -> {
      int limit;
      Long before;
      try {
        limit = number(ctx, "limit", 100, 1, 1000).intValue();
        before = ctx.queryParams().contains("before") ? number(ctx, "before", 0, 1, Long.MAX_VALUE) : null;
      } catch (AuthException e) {
        Responses.failure(ctx, e);
        return;
      }
      Responses.reply(ctx, 200, audit.list(Caller.of(ctx), before, limit));
    });
  }

  private static Long number(RoutingContext ctx, String name, long fallback, long min, long max) {
    String raw = ctx.queryParams().get(name);
    if (raw == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(raw);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // refused below, naming the parameter
    }
    throw AuthException.invalid(name, name + ": a whole number from " + min + " to " + max + ", got '" + raw + "'");
  }
}
