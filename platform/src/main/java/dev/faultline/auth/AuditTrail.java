package dev.faultline.auth;

import dev.faultline.access.AuditTarget;
import dev.faultline.access.Caller;
import dev.faultline.store.Database;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who changed what, and when. Every change a signed-in caller makes through the admin API that
 * succeeds is recorded here by the sign-in gate, named after the route it went to, so a route added
 * later is audited without being listed anywhere. Never a body: a change's body may carry an
 * upstream key or a password, so a row holds the route, the target's id and the answer's status.
 */
final class AuditTrail {

  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

  /** Readable names for the changes people look for; any other route is named by method and path. */
  private static final Map<String, String> ACTIONS = Map.ofEntries(
      Map.entry("POST /api/proxies", "proxy.create"),
      Map.entry("PATCH /api/proxies/:id", "proxy.update"),
      Map.entry("DELETE /api/proxies/:id", "proxy.delete"),
      Map.entry("POST /api/proxies/:id/start", "proxy.start"),
      Map.entry("POST /api/proxies/:id/stop", "proxy.stop"),
      Map.entry("PUT /api/proxies/:id/faults", "faults.set"),
      Map.entry("DELETE /api/proxies/:id/faults", "faults.clear"),
      Map.entry("DELETE /api/proxies/:id/cache", "cache.clear"),
      Map.entry("DELETE /api/proxies/:id/cache/:key", "cache.delete"),
      Map.entry("POST /api/proxies/:id/cache/import", "cache.import"),
      Map.entry("POST /api/proxies/:id/playground", "playground.send"),
      Map.entry("POST /api/tokens", "token.create"),
      Map.entry("DELETE /api/tokens/:id", "token.revoke"),
      Map.entry("PATCH /api/users/:id", "user.update"),
      Map.entry("POST /api/auth/password", "account.password"));

  private final Pool pool;

  AuditTrail(Database database) {
    this.pool = database.pool();
  }

  /** Records the change {@code ctx} carries once it has been answered, if it succeeded. */
  void recordWhenDone(RoutingContext ctx, Caller caller) {
    ctx.addEndHandler(done -> {
      int status = ctx.response().getStatusCode();
      if (done.succeeded() && status >= 200 && status < 300) {
        Route route = ctx.currentRoute();
        String pattern = route == null || route.getPath() == null ? ctx.normalizedPath() : route.getPath();
        String key = ctx.request().method().name() + " " + pattern;
        String action = ACTIONS.getOrDefault(key, key.toLowerCase(Locale.ROOT));
        record(caller, action, targetType(pattern), AuditTarget.of(ctx),
            new JsonObject().put("path", ctx.normalizedPath()).put("status", status));
      }
    });
  }

  /** Records one action; a failure to record is logged, never the caller's problem. */
  Future<Void> record(Caller actor, String action, String targetType, String targetId, JsonObject detail) {
    return pool.preparedQuery("INSERT INTO audit (ts, actor_id, actor_email, action, target_type, target_id, detail) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?)")
        .execute(Tuple.of(System.currentTimeMillis(), actor == null ? null : actor.userId(),
            actor == null ? null : actor.email(), action, targetType, targetId, detail == null ? null : detail.encode()))
        .<Void>mapEmpty()
        .onFailure(e -> LOG.warn("Audit: could not record {} on {}: {}", action, targetId, e.getMessage()))
        .otherwiseEmpty();
  }

  /** The newest entries, older than {@code before} when given: all of them for an admin, else the caller's own. */
  Future<JsonObject> list(Caller caller, Long before, int limit) {
    StringBuilder sql = new StringBuilder("SELECT id, ts, actor_id, actor_email, action, target_type, target_id, "
        + "detail FROM audit WHERE 1 = 1");
    Tuple params = Tuple.tuple();
    if (!caller.admin()) {
      sql.append(" AND actor_id = ?");
      params.addValue(caller.userId());
    }
    if (before != null) {
      sql.append(" AND id < ?");
      params.addValue(before);
    }
    sql.append(" ORDER BY id DESC LIMIT ?");
    params.addValue(limit);
    return pool.preparedQuery(sql.toString()).execute(params).map(rows -> {
      JsonArray entries = new JsonArray();
      for (Row row : rows) {
        String detail = row.getString("detail");
        entries.add(new JsonObject()
            .put("id", row.getLong("id"))
            .put("ts", row.getLong("ts"))
            .put("actor_id", row.getString("actor_id"))
            .put("actor_email", row.getString("actor_email"))
            .put("action", row.getString("action"))
            .put("target_type", row.getString("target_type"))
            .put("target_id", row.getString("target_id"))
            .put("detail", detail == null ? null : new JsonObject(detail)));
      }
      return new JsonObject().put("entries", entries);
    });
  }

  private static String targetType(String pattern) {
    if (pattern.startsWith("/api/proxies")) {
      return "proxy";
    }
    if (pattern.startsWith("/api/tokens")) {
      return "token";
    }
    return pattern.startsWith("/api/users") || pattern.startsWith("/api/auth") ? "user" : "other";
  }
}
