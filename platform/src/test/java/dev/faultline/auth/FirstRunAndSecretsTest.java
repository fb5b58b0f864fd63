package dev.faultline.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.testing.FaultlineProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new user's first start, as the README tells it, in a real process: no account, so a setup link
 * on the console; the link makes the first admin, who owns the demo proxy. Then secrets used the
 * way people use them — a canary password, a canary API token, a canary provider key — and every
 * place they could end up searched for them: the database files, the process's log, the exports,
 * the audit trail and the live stream.
 */
@Timeout(120)
class FirstRunAndSecretsTest {

  private static final Pattern SETUP_LINK = Pattern.compile("http://localhost:(\\d+)/setup\\?token=([A-Za-z0-9_-]+)");
  private static final String PASSWORD = "canary-password-5b1e7c";
  private static final String PROVIDER_KEY = "sk-canary-provider-key-9d2f40";

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theSetupLinkMakesTheFirstAdminAndNoSecretReachesAnySink() throws Exception {
    Path data = dir.resolve("data");
    // No admin from the configuration: the link is the way in.
    try (FaultlineProcess faultline = FaultlineProcess.start(data, Map.of("FAULTLINE_ADMIN_EMAIL", "",
        "FAULTLINE_ADMIN_PASSWORD", "", "FAULTLINE_ADMIN_TOKEN", ""))) {
      String base = "http://127.0.0.1:" + faultline.adminPort;
      Matcher link = SETUP_LINK.matcher(faultline.fullOutput());
      assertTrue(link.find(), "no setup link printed at start:\n" + faultline.output());
      assertEquals(String.valueOf(faultline.adminPort), link.group(1));
      String setupToken = link.group(2);

      assertTrue(json(send(base, "GET", "/api/auth/config", null, null)).getBoolean("setup_needed"));
      assertEquals(401, send(base, "GET", "/api/proxies", null, null).statusCode());
      HttpResponse<String> wrong = send(base, "POST", "/api/auth/setup", null, new JsonObject()
          .put("token", "not-the-token").put("email", "first@faultline.test").put("password", PASSWORD));
      assertEquals(400, wrong.statusCode(), wrong.body());

      HttpResponse<String> setup = send(base, "POST", "/api/auth/setup", null, new JsonObject()
          .put("token", setupToken).put("email", "first@faultline.test").put("password", PASSWORD));
      assertEquals(201, setup.statusCode(), setup.body());
      String session = json(setup).getString("token");
      JsonObject admin = json(setup).getJsonObject("user");
      assertEquals("admin", admin.getString("role"));
      assertTrue(admin.getBoolean("verified"));
      assertFalse(json(send(base, "GET", "/api/auth/config", null, null)).getBoolean("setup_needed"));
      HttpResponse<String> again = send(base, "POST", "/api/auth/setup", null, new JsonObject()
          .put("token", setupToken).put("email", "second@faultline.test").put("password", PASSWORD));
      assertEquals(400, again.statusCode(), "the setup link worked twice: " + again.body());

      JsonArray proxies = new JsonArray(send(base, "GET", "/api/proxies", session, null).body());
      JsonObject demo = proxies.stream().map(JsonObject.class::cast).filter(p -> "demo".equals(p.getString("name")))
          .findFirst().orElseThrow(() -> new AssertionError("no demo proxy: " + proxies));
      assertEquals(admin.getString("id"), demo.getString("owner"), "the demo proxy is the first admin's");

      // Secrets in use: an API token, a provider key through the demo proxy, with the live stream open.
      HttpResponse<String> created = send(base, "POST", "/api/tokens", session, new JsonObject().put("name", "ci"));
      assertEquals(201, created.statusCode(), created.body());
      String apiToken = json(created).getString("token");
      List<String> streamed = new ArrayList<>();
      HttpResponse<Stream<String>> stream = http.send(request(base, "GET", "/api/logs/stream", apiToken, null)
          .build(), HttpResponse.BodyHandlers.ofLines());
      Thread reader = new Thread(() -> stream.body().forEach(line -> {
        synchronized (streamed) {
          streamed.add(line);
        }
      }));
      reader.setDaemon(true);
      reader.start();
      String demoUrl = "http://127.0.0.1:" + faultline.demoPort;
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> chat = http.send(HttpRequest.newBuilder(URI.create(demoUrl + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + PROVIDER_KEY).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi " + i + "\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, chat.statusCode(), chat.body());
      }
      awaitLines(streamed, 3);
      assertEquals(200, send(base, "POST", "/api/proxies/" + demo.getString("id") + "/stop", apiToken, null)
          .statusCode());

      List<String> sinks = new ArrayList<>();
      sinks.add(send(base, "GET", "/api/logs?export=ndjson", apiToken, null).body());
      sinks.add(send(base, "GET", "/api/logs?export=csv", apiToken, null).body());
      sinks.add(send(base, "GET", "/api/audit", apiToken, null).body());
      sinks.add(send(base, "GET", "/api/tokens", apiToken, null).body());
      sinks.add(send(base, "GET", "/api/proxies/" + demo.getString("id") + "/cache/export", apiToken, null).body());
      synchronized (streamed) {
        sinks.add(String.join("\n", streamed));
      }
      assertTrue(sinks.get(2).contains("proxy.stop"), "the audit trail has the stop: " + sinks.get(2));
      faultline.terminate(30);
      sinks.add(faultline.fullOutput());
      try (Stream<Path> files = Files.list(data)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          sinks.add(file.getFileName() + ": " + new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        }
      }
      String console = faultline.fullOutput();
      for (String secret : List.of(PASSWORD, apiToken, PROVIDER_KEY, session, setupToken)) {
        for (String sink : sinks) {
          if (secret.equals(setupToken) && sink.equals(console)) {
            continue;   // printed there on purpose, for the person starting Faultline; used up now
          }
          assertFalse(sink.contains(secret), "a secret (" + secret.substring(0, 8) + "…) is in a sink: "
              + sink.substring(0, Math.min(200, sink.length())));
        }
      }
    }
  }

  private static void awaitLines(List<String> lines, int entries) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      synchronized (lines) {
        if (lines.stream().filter(l -> l.startsWith("data:")).count() >= entries) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the live stream did not bring " + entries + " entries: " + lines);
  }

  private HttpResponse<String> send(String base, String method, String path, String token, JsonObject body)
      throws IOException, InterruptedException {
    return http.send(request(base, method, path, token, body).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest.Builder request(String base, String method, String path, String token, JsonObject body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      builder.header("content-type", "application/json");
    }
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private static JsonObject json(HttpResponse<String> response) {
    assertNotNull(response.body());
    return new JsonObject(response.body());
  }
}
