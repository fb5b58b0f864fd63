package dev.faultline.auth;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** An account as stored, without its password hash (which only {@link Users#passwordHash} reads). */
record User(String id, String email, boolean admin, boolean verified, boolean disabled, Instant createdAt) {

  /** As the API shows it. */
  JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("email", email)
        .put("role", admin ? "admin" : "user")
        .put("verified", verified)
        .put("disabled", disabled)
        .put("created_at", createdAt.toString());
  }
}
