package dev.faultline.auth;

import static dev.faultline.FaultlineHarness.expect;

import dev.faultline.launcher.Faultline;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

/**
 * A person who is not an admin, for tests: registered through the API, verified directly in the
 * database (as opening the mailed link would), signed in.
 *
 * @param id            the account's id
 * @param authorization the {@code Authorization} header of their session
 */
public record VerifiedUsers(String id, String authorization) {

  public static final String PASSWORD = "a-long-enough-test-password";

  public static Future<VerifiedUsers> signUp(WebClient client, Faultline faultline, String email) {
    int port = faultline.adminPort();
    JsonObject credentials = new JsonObject().put("email", email).put("password", PASSWORD);
    return client.post(port, "127.0.0.1", "/api/auth/register").sendJsonObject(credentials)
        .map(response -> expect(response, 201).bodyAsJsonObject().getJsonObject("user").getString("id"))
        .compose(id -> new Users(faultline.database(), user -> { }).setVerified(id)
            .compose(v -> client.post(port, "127.0.0.1", "/api/auth/login").sendJsonObject(credentials))
            .map(response -> new VerifiedUsers(id, "Bearer " + expect(response, 200).bodyAsJsonObject()
                .getString("token"))));
  }
}
