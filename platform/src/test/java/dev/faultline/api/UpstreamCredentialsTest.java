package dev.faultline.api;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** An upstream URL never carries credentials into the store or out through the admin API. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamCredentialsTest {

  private static final String SECRET = "s3cr3t-pw";

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private Faultline faultline;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    faultline = await(FaultlineHarness.start(vertx, dataDir));
    client = FaultlineHarness.client(vertx);
  }

  @AfterEach
  void stop() {
    if (faultline != null) {
      await(faultline.stop());
    }
  }

  @Test
  void anUpstreamWithUserInfoIsRefusedNamingTheField() {
    for (String upstream : new String[] {"https://user:" + SECRET + "@api.example.com/v1",
        "https://" + SECRET + "@api.example.com", "http://user:" + SECRET + "@127.0.0.1:1"}) {
      HttpResponse<Buffer> created = await(client.post(faultline.adminPort(), "127.0.0.1", "/api/proxies")
          .sendJsonObject(new JsonObject().put("name", "u").put("provider", "openai").put("upstream", upstream)));
      JsonObject error = refused(created, upstream);
      assertTrue(error.getString("message").contains("header"), "says where credentials go: " + error);
    }
    assertEquals(0, expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/proxies").send()), 200)
        .bodyAsJsonArray().size());

    JsonObject proxy = await(FaultlineHarness.createProxy(client, faultline, new JsonObject().put("name", "ok")
        .put("provider", "openai").put("upstream", "https://api.example.com/v1").put("status", "stopped")));
    refused(await(client.patch(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + proxy.getString("id"))
        .sendJsonObject(new JsonObject().put("upstream", "https://user:" + SECRET + "@api.example.com/v1"))), "patch");
    assertEquals("https://api.example.com/v1", get(proxy.getString("id")).getString("upstream"), "unchanged");
  }

  @Test
  void oneAnOlderVersionStoredIsShownMasked() throws SQLException {
    JsonObject proxy = await(FaultlineHarness.createProxy(client, faultline, new JsonObject().put("name", "old")
        .put("provider", "openai").put("upstream", "https://api.example.com/v1").put("status", "stopped")));
    await(faultline.stop());
    faultline = null;
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("faultline.db"));
         PreparedStatement update = db.prepareStatement("UPDATE proxies SET upstream = ? WHERE id = ?")) {
      update.setString(1, "https://user:" + SECRET + "@api.example.com/v1");
      update.setString(2, proxy.getString("id"));
      assertEquals(1, update.executeUpdate());
    }
    faultline = await(FaultlineHarness.start(vertx, dataDir));

    HttpResponse<Buffer> list = expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/proxies").send()), 200);
    assertFalse(list.bodyAsString().contains(SECRET), list.bodyAsString());
    assertEquals("https://***@api.example.com/v1", list.bodyAsJsonArray().getJsonObject(0).getString("upstream"));
    assertEquals("https://***@api.example.com/v1", get(proxy.getString("id")).getString("upstream"));
    // Other changes still go through; the stored URL stays as it was until the user replaces it.
    JsonObject renamed = expect(await(client.patch(faultline.adminPort(), "127.0.0.1", "/api/proxies/"
        + proxy.getString("id")).sendJsonObject(new JsonObject().put("name", "renamed"))), 200).bodyAsJsonObject();
    assertEquals("https://***@api.example.com/v1", renamed.getString("upstream"));
    assertFalse(renamed.encode().contains(SECRET));
  }

  private JsonObject get(String id) {
    return expect(await(client.get(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + id).send()), 200)
        .bodyAsJsonObject();
  }

  private static JsonObject refused(HttpResponse<Buffer> response, String what) {
    expect(response, 400);
    assertFalse(response.bodyAsString().contains(SECRET), "the password is not echoed: " + response.bodyAsString());
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertEquals("upstream", error.getString("field"), what + ": " + error);
    assertTrue(error.getString("message").startsWith("upstream: must not carry credentials"), error.encode());
    return error;
  }
}
