package dev.faultline.api;

import dev.faultline.proxy.ProxyException;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the admin API answers: JSON always, and every error as
 * {@code {"error":{"status":…,"message":"field: what is wrong","field":"field"}}}.
 */
public final class Responses {

  private static final Logger LOG = LoggerFactory.getLogger(Responses.class);

  private Responses() {
  }

  public static void json(RoutingContext ctx, int status, Object body) {
    String text = body instanceof JsonObject o ? o.encodePrettily()
        : body instanceof JsonArray a ? a.encodePrettily() : Json.encode(body);
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(text);
  }

  /** Answers with {@code result}'s value as JSON, or with its failure as {@link #failure} does. */
  public static void reply(RoutingContext ctx, int status, Future<?> result) {
    result.onSuccess(value -> json(ctx, status, value)).onFailure(e -> failure(ctx, e));
  }

  public static void error(RoutingContext ctx, int status, String field, String message) {
    JsonObject error = new JsonObject().put("status", status).put("message", message);
    if (field != null) {
      error.put("field", field);
    }
    json(ctx, status, new JsonObject().put("error", error));
  }

  /** Answers a failed operation: known refusals with their status, anything else as a 500. */
  public static void failure(RoutingContext ctx, Throwable failure) {
    if (failure instanceof ProxyException refused) {
      error(ctx, refused.status(), refused.field(), refused.getMessage());
    } else if (failure instanceof Refusal refusal) {
      error(ctx, refusal.status(), refusal.field(), refusal.getMessage());
    } else if (failure instanceof BadRequest bad) {
      error(ctx, 400, bad.field(), bad.getMessage());
    } else {
      LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), failure);
      error(ctx, 500, null, "internal error: " + failure.getMessage());
    }
  }

  static void mountErrorHandlers(Router router) {
    router.errorHandler(404, ctx -> error(ctx, 404, null, "no such endpoint: " + ctx.request().method() + " "
        + ctx.request().path()));
    router.errorHandler(405, ctx -> error(ctx, 405, null, "method " + ctx.request().method() + " not allowed on "
        + ctx.request().path()));
    router.errorHandler(413, ctx -> error(ctx, 413, null, "request body too large"));
    router.errorHandler(500, ctx -> failure(ctx, ctx.failure() == null ? new IllegalStateException("unknown") : ctx.failure()));
  }

  /** A request body that is not what the endpoint takes. */
  public static final class BadRequest extends RuntimeException {
    private final String field;

    public BadRequest(String field, String message) {
      super(message, null, false, false);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }
}
