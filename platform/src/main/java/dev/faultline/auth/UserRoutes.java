package dev.faultline.auth;

import dev.faultline.access.Caller;
import dev.faultline.api.ApiRoutes;
import dev.faultline.api.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * {@code /api/users} (admins only): list the accounts, make one an admin, disable one. A disabled
 * account's sessions end at once and its tokens stop working; its proxies keep running.
 */
final class UserRoutes implements ApiRoutes {

  private static final Set<String> FIELDS = Set.of("role", "disabled");

  private final Users users;
  private final Sessions sessions;

  UserRoutes(Users users, Sessions sessions) {
    this.users = users;
    this.sessions = sessions;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/users").handler(ctx -> {
      if (admin(ctx)) {
        Responses.reply(ctx, 200, users.all().map(all -> new JsonArray(all.stream().map(User::toJson).toList())));
      }
    });
    router.patch("/api/users/:id").handler(ctx -> {
      if (admin(ctx)) {
        Bodies.answer(ctx, 200, body -> change(Caller.of(ctx), ctx.pathParam("id"), body));
      }
    });
  }

  private Future<JsonObject> change(Caller caller, String id, JsonObject body) {
    for (String field : body.fieldNames()) {
      if (!FIELDS.contains(field)) {
        throw AuthException.invalid(field, field + ": unknown field; a user's role and disabled can be changed");
      }
    }
    Object role = body.getValue("role");
    if (role != null && !"admin".equals(role) && !"user".equals(role)) {
      throw AuthException.invalid("role", "role: \"admin\" or \"user\"");
    }
    Object disabled = body.getValue("disabled");
    if (disabled != null && !(disabled instanceof Boolean)) {
      throw AuthException.invalid("disabled", "disabled: true or false");
    }
    if (id.equals(caller.userId()) && ("user".equals(role) || Boolean.TRUE.equals(disabled))) {
      throw AuthException.conflict(null, "an admin cannot demote or disable themselves; another admin can");
    }
    return users.byId(id).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(AuthException.notFound("no such user: " + id));
      }
      Future<Void> step = role == null ? Future.succeededFuture() : users.setAdmin(id, "admin".equals(role));
      if (disabled != null) {
        step = step.compose(v -> users.setDisabled(id, (Boolean) disabled))
            .compose(v -> (Boolean) disabled ? sessions.closeAll(id) : Future.succeededFuture());
      }
      return step.compose(v -> users.byId(id))
          .map(user -> user.orElseThrow().toJson());
    });
  }

  /** Whether the caller is an admin; answers 403 when not. */
  static boolean admin(RoutingContext ctx) {
    if (Caller.of(ctx).admin()) {
      return true;
    }
    Responses.error(ctx, 403, null, "only an admin may manage users");
    return false;
  }
}
