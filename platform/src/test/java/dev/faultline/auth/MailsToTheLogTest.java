package dev.faultline.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.testing.FaultlineProcess;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With no SMTP server configured (the embedded default), the verification and reset mails go to
 * the log, link included, and the link found there works: a real Faultline process, its real
 * output read as the person running it would read it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MailsToTheLogTest {

  private static final String PASSWORD = "the-first-password-1";
  private static final Pattern VERIFY = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/verify\\?token=(\\S+)");
  private static final Pattern RESET = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/reset\\?token=(\\S+)");

  @TempDir
  Path dir;

  @Test
  void theVerificationAndResetLinksAreInTheLogAndWork() {
    try (FaultlineProcess faultline = FaultlineProcess.start(dir.resolve("data"), Map.of())) {
      JsonObject account = new JsonObject().put("email", "log@example.com").put("password", PASSWORD);
      HttpResponse<String> registered = faultline.postAnonymously("/api/auth/register", account.encode());
      assertEquals(201, registered.statusCode(), registered.body());
      assertEquals("sent", new JsonObject(registered.body()).getString("verification"));

      MatchResult verify = faultline.awaitOutput(VERIFY, 1, 20);
      String output = faultline.fullOutput();
      assertTrue(output.contains("No SMTP server is configured") && output.contains("To: log@example.com")
          && output.contains("Subject: Verify your email for Faultline"), output);
      HttpResponse<String> verified = faultline.postAnonymously("/api/auth/verify",
          new JsonObject().put("token", verify.group(1)).encode());
      assertEquals(200, verified.statusCode(), verified.body());

      assertEquals(202, faultline.postAnonymously("/api/auth/reset",
          new JsonObject().put("email", "log@example.com").encode()).statusCode());
      MatchResult reset = faultline.awaitOutput(RESET, 1, 20);
      HttpResponse<String> confirmed = faultline.postAnonymously("/api/auth/reset/confirm",
          new JsonObject().put("token", reset.group(1)).put("password", "the-second-password-2").encode());
      assertEquals(204, confirmed.statusCode(), confirmed.body());
      assertEquals(200, faultline.postAnonymously("/api/auth/login", account.copy()
          .put("password", "the-second-password-2").encode()).statusCode());

      String all = faultline.fullOutput();
      assertFalse(all.contains(PASSWORD) || all.contains("the-second-password-2"), "a password in the log:\n" + all);
    }
  }
}
