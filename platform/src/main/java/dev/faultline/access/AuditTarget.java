package dev.faultline.access;

import io.vertx.ext.web.RoutingContext;

/**
 * What a change acted on, for the audit trail: the {@code :id} in the path, unless the route names
 * it itself (a create, whose id exists only once it is done).
 */
public final class AuditTarget {

  private static final String KEY = "faultline.audit.target";

  private AuditTarget() {
  }

  public static void set(RoutingContext ctx, String id) {
    ctx.put(KEY, id);
  }

  public static String of(RoutingContext ctx) {
    String named = ctx.get(KEY);
    return named != null ? named : ctx.pathParam("id");
  }
}
