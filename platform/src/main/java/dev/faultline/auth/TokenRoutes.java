package dev.faultline.auth;

import dev.faultline.access.AuditTarget;
import dev.faultline.access.Caller;
import dev.faultline.api.ApiRoutes;
import dev.faultline.api.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.time.Instant;

/** {@code /api/tokens}: a person's API tokens — create (shown once), list, revoke. */
final class TokenRoutes implements ApiRoutes {

  private static final int MAX_DAYS = 3650;

  private final ApiTokens tokens;

  TokenRoutes(ApiTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public void mount(Router router) {
    router.get("/api/tokens").handler(ctx -> Responses.reply(ctx, 200, tokens.list(Caller.of(ctx).userId())));
    router.post("/api/tokens").handler(ctx -> Bodies.answer(ctx, 201, body -> {
      Caller caller = Caller.of(ctx);
      if (caller.tokenId() != null) {
        // A leaked token must not be able to make itself new, longer-lived siblings.
        throw AuthException.forbidden("API tokens are created by a signed-in person, not by another token");
      }
      String name = name(body);
      boolean readOnly = readOnly(body);
      Instant expires = expires(body);
      return tokens.create(caller.userId(), name, readOnly, expires)
          .onSuccess(created -> AuditTarget.set(ctx, created.getString("id")));
    }));
    router.delete("/api/tokens/:id").handler(ctx -> tokens.revoke(Caller.of(ctx).userId(), ctx.pathParam("id"))
        .compose(found -> found ? Future.succeededFuture()
            : Future.failedFuture(AuthException.notFound("no such token: " + ctx.pathParam("id"))))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(e -> Responses.failure(ctx, e)));
  }

  private static String name(JsonObject body) {
    String name = Bodies.text(body, "name");
    if (name == null || name.isBlank() || name.length() > 100) {
      throw AuthException.invalid("name", "name: required, 1 to 100 characters (what the token is for, e.g. \"CI\")");
    }
    return name.trim();
  }

  private static boolean readOnly(JsonObject body) {
    Object value = body.getValue("read_only", false);
    if (!(value instanceof Boolean b)) {
      throw AuthException.invalid("read_only", "read_only: must be true or false");
    }
    return b;
  }

  private static Instant expires(JsonObject body) {
    Object value = body.getValue("expires_in_days");
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number n) || n.doubleValue() != n.intValue() || n.intValue() < 1 || n.intValue() > MAX_DAYS) {
      throw AuthException.invalid("expires_in_days", "expires_in_days: a whole number of days from 1 to " + MAX_DAYS
          + ", or leave it out for a token that does not expire");
    }
    return Instant.now().plus(Duration.ofDays(n.intValue()));
  }
}
