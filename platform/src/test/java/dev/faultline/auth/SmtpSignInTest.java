package dev.faultline.auth;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** An SMTP server that wants a sign-in (GreenMail with a user): the configured credentials are what get the mail through. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SmtpSignInTest {

  private static final String USER = "faultline";
  private static final String SECRET = "smtp-secret-password";

  @RegisterExtension
  final GreenMailExtension mailServer = new GreenMailExtension(new ServerSetup(3025, "127.0.0.1", "smtp").dynamicPort())
      .withConfiguration(GreenMailConfiguration.aConfig().withUser("faultline@faultline.test", USER, SECRET));

  @TempDir
  Path dataDir;

  private Faultline faultline;

  @AfterEach
  void stop() {
    if (faultline != null) {
      await(faultline.stop());
    }
  }

  @Test
  void theRightCredentialsSendTheMail(Vertx vertx) {
    assertEquals("sent", register(vertx, SECRET));
    assertTrue(mailServer.waitForIncomingEmail(10_000, 1), "the mail arrived");
  }

  @Test
  void aWrongPasswordIsAFailedMailNotAnUnauthenticatedOne(Vertx vertx) {
    assertEquals("failed", register(vertx, "not-the-password"));
    assertEquals(0, mailServer.getReceivedMessages().length);
  }

  private String register(Vertx vertx, String password) {
    FaultlineConfig config = FaultlineHarness.config(dataDir);
    faultline = await(Faultline.start(vertx, config.withAuth(config.auth().withSmtp(new AuthSettings.Smtp("127.0.0.1",
        mailServer.getSmtp().getPort(), USER, password, "faultline@faultline.test", "disabled", false)))));
    return expect(await(FaultlineHarness.anonymous(vertx).post(faultline.adminPort(), "127.0.0.1", "/api/auth/register")
        .sendJsonObject(new JsonObject().put("email", "sam@example.com").put("password", "a-long-enough-password"))), 201)
        .bodyAsJsonObject().getString("verification");
  }
}
