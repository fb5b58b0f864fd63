package dev.faultline.auth;

import dev.faultline.api.Responses;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import java.util.function.Supplier;

/** Reading the JSON bodies of the account routes, and answering their outcomes. */
final class Bodies {

  private Bodies() {
  }

  /** The request's JSON object body; an absent body is an empty object. */
  static JsonObject of(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      return body == null ? new JsonObject() : body;
    } catch (DecodeException | ClassCastException e) {
      throw AuthException.invalid(null, "body: must be a JSON object: " + e.getMessage());
    }
  }

  /** A string field, or {@code null}; anything else is refused naming the field. */
  static String text(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw AuthException.invalid(field, field + ": must be a string");
    }
    return (String) value;
  }

  /** Runs {@code action}; what it throws before it has a future fails the same way. */
  static <T> Future<T> attempt(Supplier<Future<T>> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Answers {@code status} with the value {@code action} produces as JSON, or its refusal. */
  static <T> void answer(RoutingContext ctx, int status, Function<JsonObject, Future<T>> action) {
    attempt(() -> action.apply(of(ctx))).onComplete(result -> {
      if (result.failed()) {
        Responses.failure(ctx, result.cause());
      } else if (result.result() == null) {
        ctx.response().setStatusCode(status).end();
      } else {
        Responses.json(ctx, status, result.result());
      }
    });
  }
}
