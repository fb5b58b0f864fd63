package dev.faultline.auth;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The account mails end to end: a whole Faultline on real ports and a real SQLite file sends
 * through a real SMTP server (GreenMail, in the test, on a free port), and the test reads what
 * arrived and follows its link the way a person would.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class EmailFlowsTest {

  private static final String FROM = "faultline@faultline.test";
  private static final String PASSWORD = "a-long-enough-password";
  private static final Pattern LINK = Pattern.compile("(http://\\S+)/(verify|reset)\\?token=(\\S+)");

  @RegisterExtension
  final GreenMailExtension mailServer = new GreenMailExtension(new ServerSetup(3025, "127.0.0.1", "smtp").dynamicPort());

  @TempDir
  Path dataDir;

  private Faultline faultline;
  private WebClient client;

  @AfterEach
  void stop() {
    if (faultline != null) {
      await(faultline.stop());
    }
  }

  @Test
  void aRegisteredAccountIsVerifiedByTheLinkInItsMailThenCreatesAProxy(Vertx vertx) throws Exception {
    start(vertx, mailServer.getSmtp().getPort());
    JsonObject registered = expect(post("/api/auth/register", null, account("ada@example.com")), 201).bodyAsJsonObject();
    assertEquals("sent", registered.getString("verification"));
    assertFalse(registered.getJsonObject("user").getBoolean("verified"));

    MimeMessage mail = nextMail(1);
    assertEquals("ada@example.com", mail.getRecipients(Message.RecipientType.TO)[0].toString());
    assertEquals(FROM, mail.getFrom()[0].toString());
    assertEquals("Verify your email for Faultline", mail.getSubject());
    String body = text(mail);
    assertTrue(body.contains("48 hours"), body);
    Matcher link = link(body, "verify");
    assertEquals("http://127.0.0.1:" + faultline.adminPort(), link.group(1), "the link leads to the dashboard");

    JsonObject verified = expect(post("/api/auth/verify", null, new JsonObject().put("token", link.group(3))), 200)
        .bodyAsJsonObject();
    assertTrue(verified.getJsonObject("user").getBoolean("verified"));
    String session = login("ada@example.com", PASSWORD);
    expect(post("/api/proxies", session, new JsonObject().put("name", "ada").put("provider", "mock")), 201);
  }

  @Test
  void anUnverifiedAccountSignsInButCreatesNoProxyUntilALinkWorksOnce(Vertx vertx) throws Exception {
    start(vertx, mailServer.getSmtp().getPort());
    expect(post("/api/auth/register", null, account("bo@example.com")), 201);
    String first = link(text(nextMail(1)), "verify").group(3);
    String session = login("bo@example.com", PASSWORD);

    JsonObject refused = error(post("/api/proxies", session, new JsonObject().put("name", "bo").put("provider", "mock")),
        403);
    assertTrue(refused.getString("message").contains("verify your email"), refused.encode());
    assertTrue(refused.getString("message").contains("/api/auth/verify/resend"), refused.encode());

    expect(send("/api/auth/verify/resend", session), 202);
    MimeMessage again = nextMail(2);
    assertEquals("bo@example.com", again.getRecipients(Message.RecipientType.TO)[0].toString());
    String second = link(text(again), "verify").group(3);
    assertNotEquals(first, second, "a new mail has a new link");

    expect(post("/api/auth/verify", null, new JsonObject().put("token", second)), 200);
    JsonObject used = error(post("/api/auth/verify", null, new JsonObject().put("token", second)), 400);
    assertEquals("token", used.getString("field"));
    assertTrue(used.getString("message").contains("used"), used.encode());
    // The session from before the verification now may create: who it is is read on every request.
    expect(post("/api/proxies", session, new JsonObject().put("name", "bo").put("provider", "mock")), 201);
    assertEquals(409, send("/api/auth/verify/resend", session).statusCode(), "already verified");
  }

  @Test
  void aResetLinkSetsANewPasswordOnceAndEndsEarlierSessions(Vertx vertx) throws Exception {
    start(vertx, mailServer.getSmtp().getPort());
    expect(post("/api/auth/register", null, account("cy@example.com")), 201);
    nextMail(1);
    String before = login("cy@example.com", PASSWORD);

    expect(post("/api/auth/reset", null, new JsonObject().put("email", "Cy@Example.com")), 202);
    MimeMessage mail = nextMail(2);
    assertEquals("cy@example.com", mail.getRecipients(Message.RecipientType.TO)[0].toString());
    assertEquals("Reset your Faultline password", mail.getSubject());
    assertTrue(text(mail).contains("30 minutes"), text(mail));
    String token = link(text(mail), "reset").group(3);

    JsonObject weak = error(post("/api/auth/reset/confirm", null, new JsonObject().put("token", token)
        .put("password", "short")), 400);
    assertEquals("password", weak.getString("field"));
    assertTrue(weak.getString("message").contains(Passwords.RULES), weak.encode());
    String next = "the-new-password-after-reset";
    // A refused password leaves the link working.
    expect(post("/api/auth/reset/confirm", null, new JsonObject().put("token", token).put("password", next)), 204);

    assertEquals(401, send("/api/auth/me", before).statusCode(), "a session from before the reset");
    assertEquals(401, post("/api/auth/login", null, account("cy@example.com")).statusCode(), "the old password");
    String after = login("cy@example.com", next);
    expect(send("/api/auth/me", after), 200);
    JsonObject again = error(post("/api/auth/reset/confirm", null, new JsonObject().put("token", token)
        .put("password", "yet-another-password")), 400);
    assertEquals("token", again.getString("field"));
    login("cy@example.com", next);
  }

  @Test
  void anUnknownEmailGetsTheSameAnswerAndNoMail(Vertx vertx) throws Exception {
    start(vertx, mailServer.getSmtp().getPort());
    expect(post("/api/auth/register", null, account("di@example.com")), 201);
    nextMail(1);

    HttpResponse<Buffer> unknown = post("/api/auth/reset", null, new JsonObject().put("email", "nobody@example.com"));
    HttpResponse<Buffer> known = post("/api/auth/reset", null, new JsonObject().put("email", "di@example.com"));
    assertEquals(202, unknown.statusCode());
    assertEquals(known.statusCode(), unknown.statusCode());
    assertEquals(known.bodyAsString(), unknown.bodyAsString());
    // The known address's mail was asked for after the unknown one: once it is here, the other would be too.
    MimeMessage mail = nextMail(2);
    assertEquals("di@example.com", mail.getRecipients(Message.RecipientType.TO)[0].toString());
    assertEquals(2, mailServer.getReceivedMessages().length, "no mail for an address without an account");
    assertEquals("email", error(post("/api/auth/reset", null, new JsonObject()), 400).getString("field"));
  }

  @Test
  void aPasswordChangeEndsEveryEarlierSession(Vertx vertx) {
    start(vertx, mailServer.getSmtp().getPort());
    expect(post("/api/auth/register", null, account("ed@example.com")), 201);
    String first = login("ed@example.com", PASSWORD);
    String second = login("ed@example.com", PASSWORD);

    JsonObject wrong = error(post("/api/auth/password", second, new JsonObject().put("current_password", "not-it-at-all")
        .put("new_password", "a-brand-new-password")), 400);
    assertEquals("current_password", wrong.getString("field"));
    String changed = expect(post("/api/auth/password", second, new JsonObject().put("current_password", PASSWORD)
        .put("new_password", "a-brand-new-password")), 200).bodyAsJsonObject().getString("token");

    assertEquals(401, send("/api/auth/me", first).statusCode());
    assertEquals(401, send("/api/auth/me", second).statusCode(), "also the one that changed it");
    expect(send("/api/auth/me", changed), 200);
    login("ed@example.com", "a-brand-new-password");
  }

  @Test
  void aRefusedRegistrationNamesTheFieldAndStatesTheRules(Vertx vertx) throws Exception {
    start(vertx, mailServer.getSmtp().getPort());
    JsonObject email = error(post("/api/auth/register", null, new JsonObject().put("email", "not-an-address")
        .put("password", PASSWORD)), 400);
    assertEquals("email", email.getString("field"));
    assertTrue(email.getString("message").contains("name@domain"), email.encode());
    for (String password : new String[] {"short", "fi@example.com"}) {
      JsonObject refused = error(post("/api/auth/register", null, new JsonObject().put("email", "fi@example.com")
          .put("password", password)), 400);
      assertEquals("password", refused.getString("field"));
      assertTrue(refused.getString("message").contains("10 to 256 characters")
          && refused.getString("message").contains("must not be the email address"), refused.encode());
    }
    assertEquals(401, post("/api/auth/login", null, account("fi@example.com")).statusCode(), "no account was made");
    expect(post("/api/auth/register", null, account("fi@example.com")), 201);
    assertEquals("email", error(post("/api/auth/register", null, account("FI@example.com")), 409).getString("field"));
    nextMail(1);
    assertEquals(1, mailServer.getReceivedMessages().length, "only the accepted registration mails");
  }

  @Test
  void withTheMailServerDownTheAccountExistsAndTheAnswerSaysTheMailFailed(Vertx vertx) {
    int nobody = FaultlineHarness.freePort();
    start(vertx, nobody);
    JsonObject registered = expect(post("/api/auth/register", null, account("gus@example.com")), 201).bodyAsJsonObject();
    assertEquals("failed", registered.getString("verification"));
    assertEquals("gus@example.com", registered.getJsonObject("user").getString("email"));
    String message = registered.getString("message");
    assertTrue(message.contains("the account exists") && message.contains("/api/auth/verify/resend"), message);
    assertFalse(message.contains(String.valueOf(nobody)), "the mail server's address stays inside: " + message);

    String session = login("gus@example.com", PASSWORD);
    JsonObject resend = error(send("/api/auth/verify/resend", session), 503);
    assertTrue(resend.getString("message").contains("could not be sent"), resend.encode());
    // A reset asked for while the server is down: the same quiet answer.
    expect(post("/api/auth/reset", null, new JsonObject().put("email", "gus@example.com")), 202);
  }

  private void start(Vertx vertx, int smtpPort) {
    FaultlineConfig config = FaultlineHarness.config(dataDir);
    config = config.withAuth(config.auth().withSmtp(
        new AuthSettings.Smtp("127.0.0.1", smtpPort, null, null, FROM, "disabled", false)));
    faultline = await(Faultline.start(vertx, config));
    client = FaultlineHarness.anonymous(vertx);
  }

  private static JsonObject account(String email) {
    return new JsonObject().put("email", email).put("password", PASSWORD);
  }

  private HttpRequest<Buffer> request(String path, String session) {
    HttpRequest<Buffer> request = client.post(faultline.adminPort(), "127.0.0.1", path);
    if (path.equals("/api/auth/me")) {
      request = client.get(faultline.adminPort(), "127.0.0.1", path);
    }
    return session == null ? request : request.putHeader("Authorization", "Bearer " + session);
  }

  private HttpResponse<Buffer> send(String path, String session) {
    return await(request(path, session).send());
  }

  private HttpResponse<Buffer> post(String path, String session, JsonObject body) {
    return await(request(path, session).sendJsonObject(body));
  }

  private String login(String email, String password) {
    return expect(post("/api/auth/login", null, new JsonObject().put("email", email).put("password", password)), 200)
        .bodyAsJsonObject().getString("token");
  }

  private static JsonObject error(HttpResponse<Buffer> response, int status) {
    return expect(response, status).bodyAsJsonObject().getJsonObject("error");
  }

  /** The {@code count}th mail received; fails if it does not arrive within 10 s. */
  private MimeMessage nextMail(int count) {
    assertTrue(mailServer.waitForIncomingEmail(10_000, count), "mail number " + count + " did not arrive; received "
        + mailServer.getReceivedMessages().length);
    return mailServer.getReceivedMessages()[count - 1];
  }

  private static String text(MimeMessage mail) throws Exception {
    return String.valueOf(mail.getContent());
  }

  private static Matcher link(String body, String path) {
    Matcher link = LINK.matcher(body);
    assertTrue(link.find() && link.group(2).equals(path), "no /" + path + " link in: " + body);
    return link;
  }
}
