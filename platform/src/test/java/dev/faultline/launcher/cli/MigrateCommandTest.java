package dev.faultline.launcher.cli;

import static dev.faultline.launcher.cli.Says.lacks;
import static dev.faultline.launcher.cli.Says.says;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.auth.AuthSettings;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import dev.faultline.store.Database;
import dev.faultline.store.PostgresServer;
import dev.faultline.store.StoreKind;
import dev.faultline.store.StoreLocation;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code faultline migrate}, run in-process as the command line runs it: a real Faultline's
 * SQLite installation copied into a real (embedded) PostgreSQL database, then served from there.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MigrateCommandTest {

  private static final String PASSWORD_CANARY = "pg-canary-password-4711";

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newHttpClient();
  private Faultline faultline;

  @AfterEach
  void stop() {
    if (faultline != null) {
      FaultlineHarness.await(faultline.stop());
    }
    FaultlineHarness.await(vertx.close());
  }

  @Test
  void aSqliteInstallationServesTheSameFromPostgresql() throws Exception {
    faultline = FaultlineHarness.await(FaultlineHarness.start(vertx, dir.resolve("sqlite")));
    String session = new JsonObject(expect(200, send("POST", "/api/auth/login", null, new JsonObject()
        .put("email", FaultlineHarness.ADMIN_EMAIL).put("password", FaultlineHarness.ADMIN_PASSWORD))).body())
        .getString("token");
    String token = new JsonObject(expect(201, send("POST", "/api/tokens", "Bearer " + session,
        new JsonObject().put("name", "ci"))).body()).getString("token");
    JsonObject cached = new JsonObject(expect(201, send("POST", "/api/proxies", null, new JsonObject()
        .put("name", "cached").put("provider", "mock").put("cache", new JsonObject().put("enabled", true)))).body());
    JsonObject flaky = new JsonObject(expect(201, send("POST", "/api/proxies", null, new JsonObject()
        .put("name", "flaky").put("provider", "mock"))).body());
    expect(200, send("PUT", "/api/proxies/" + flaky.getString("id") + "/faults", null, new JsonArray()
        .add(new JsonObject().put("strategy", "http-error").put("params", new JsonObject().put("status", 503)))));
    assertEquals(503, chat(flaky).statusCode());
    assertEquals("MISS", chat(cached).headers().firstValue("X-Faultline-Cache").orElse(null));
    String cachePath = "/api/proxies/" + cached.getString("id") + "/cache";
    waitFor("the answer cached", () -> send("GET", cachePath, null, null).body(), body -> body.contains("gpt-4o-mini"));
    JsonArray logged = waitFor("both calls logged", () -> logs(""), entries -> entries.size() >= 2);
    JsonArray proxies = new JsonArray(expect(200, send("GET", "/api/proxies", null, null)).body());
    String faults = expect(200, send("GET", "/api/proxies/" + flaky.getString("id") + "/faults", null, null)).body();
    long audited = maxId(audit());
    FaultlineHarness.await(faultline.stop());
    faultline = null;

    String url = PostgresServer.freshDatabase();
    Run migrated = migrate(dir.resolve("sqlite/faultline.db"), withoutPassword(url));
    assertEquals(0, migrated.code, migrated.err);
    says(migrated.out, "users", "proxies", "log_entries", "cache_entries", "api_tokens", "Copied", "one transaction");
    lacks(migrated.out + migrated.err, PASSWORD_CANARY);

    // No admin in the configuration: whoever signs in and every token come from the copy.
    FaultlineConfig onPostgres = FaultlineHarness.config(dir.resolve("pg")).withAuth(AuthSettings.defaults())
        .withStore(new FaultlineConfig.Store(url, null, null));
    faultline = FaultlineHarness.await(Faultline.start(vertx, onPostgres));
    assertEquals(StoreKind.POSTGRESQL, faultline.database().kind());

    assertEquals(proxies, new JsonArray(expect(200, send("GET", "/api/proxies", "Bearer " + token, null)).body()));
    assertEquals(faults, expect(200, send("GET", "/api/proxies/" + flaky.getString("id") + "/faults",
        "Bearer " + token, null)).body());
    expect(200, send("POST", "/api/auth/login", "", new JsonObject()
        .put("email", FaultlineHarness.ADMIN_EMAIL).put("password", FaultlineHarness.ADMIN_PASSWORD)));
    expect(401, send("POST", "/api/auth/login", "", new JsonObject()
        .put("email", FaultlineHarness.ADMIN_EMAIL).put("password", "not-the-password-at-all")));
    assertEquals("HIT", chat(cached).headers().firstValue("X-Faultline-Cache").orElse(null));
    assertEquals(503, chat(flaky).statusCode());

    long before = maxId(logged);
    JsonArray after = waitFor("the new calls logged", () -> logs(""), entries -> entries.size() >= logged.size() + 2);
    for (Object old : logged) {
      long id = ((JsonObject) old).getLong("id");
      assertTrue(after.stream().anyMatch(e -> ((JsonObject) e).getLong("id") == id), "log row " + id + " copied");
    }
    assertTrue(after.stream().mapToLong(e -> ((JsonObject) e).getLong("id")).filter(id -> id > before).count() >= 2,
        "the new rows get ids past the copied ones: " + after.encode());
    // A change is audited in a row of its own: the identity sequence starts past the copied rows.
    JsonObject fresh = new JsonObject(expect(201, send("POST", "/api/proxies", null, new JsonObject()
        .put("name", "fresh").put("provider", "mock"))).body());
    JsonArray audit = waitFor("the new proxy audited", this::audit, entries -> entries.stream()
        .anyMatch(e -> fresh.getString("id").equals(((JsonObject) e).getString("target_id"))));
    assertTrue(maxId(audit) > audited, "a fresh audit id past " + audited + ": " + audit.encode());
    assertEquals(audit.size(), audit.stream().map(e -> ((JsonObject) e).getLong("id")).distinct().count());
    FaultlineHarness.await(faultline.stop());
    faultline = null;

    // Once more into the same, now full database: refused, and nothing changes.
    Map<String, Long> counts = counts(url, "users", "proxies", "log_entries", "cache_entries");
    Run again = migrate(dir.resolve("sqlite/faultline.db"), url);
    assertEquals(1, again.code, again.out);
    says(again.err, "already holds rows in", "users", "proxies", "log_entries");
    assertEquals(1, again.err.strip().lines().count(), again.err);
    assertEquals(counts, counts(url, "users", "proxies", "log_entries", "cache_entries"));
  }

  @Test
  void aBadOrUnreachableTargetFailsWithOneLineSayingWhy() {
    Path file = emptyInstallation();
    Run notPostgres = migrate(file, "mysql://db.example.com/faultline");
    assertEquals(2, notPostgres.code);
    assertEquals("faultline: --to (FAULTLINE_STORE_URL): invalid value: expected jdbc:postgresql://host:port/database "
        + "or postgresql://host:port/database (empty: the embedded SQLite file)", notPostgres.err.strip());

    Run nowhere = migrate(file, "jdbc:postgresql://127.0.0.1:" + FaultlineHarness.freePort() + "/faultline");
    assertEquals(1, nowhere.code);
    says(nowhere.err, "faultline: cannot open or migrate PostgreSQL jdbc:postgresql://127.0.0.1:");
    assertEquals(1, nowhere.err.strip().lines().count(), nowhere.err);

    Run noFile = migrate(dir.resolve("missing.db"), "jdbc:postgresql://127.0.0.1:1/faultline");
    assertEquals(1, noFile.code);
    says(noFile.err, "no SQLite file at", "missing.db");

    Run noTarget = migrate(file, null);
    assertEquals(2, noTarget.code);
    says(noTarget.err, "--to (FAULTLINE_STORE_URL)");
  }

  @Test
  void aTableMissingInPostgresqlIsNamedAndNothingIsCopied() throws SQLException {
    Path file = emptyInstallation();
    sqlite(file, "INSERT INTO users (id, email, created_at) VALUES ('u1', 'a@example.com', '2026-01-01T00:00:00Z')",
        "CREATE TABLE zz_notes (id INTEGER PRIMARY KEY, note TEXT)");
    String url = PostgresServer.freshDatabase();
    Run run = migrate(file, url);
    assertEquals(1, run.code, run.out);
    says(run.err, "'zz_notes'", "missing in PostgreSQL");
    assertEquals(0L, counts(url, "users").get("users"));
  }

  @Test
  void aFailureHalfWayRollsBackTheTablesAlreadyCopied() throws SQLException {
    Path file = emptyInstallation();
    // proxies comes after users (its owner); its extra column fails the copy once users is in.
    sqlite(file, "INSERT INTO users (id, email, created_at) VALUES ('u1', 'a@example.com', '2026-01-01T00:00:00Z')",
        "ALTER TABLE proxies ADD COLUMN extra TEXT");
    String url = PostgresServer.freshDatabase();
    Run run = migrate(file, url);
    assertEquals(1, run.code, run.out);
    says(run.err, "'proxies.extra'", "missing in PostgreSQL");
    assertEquals(0L, counts(url, "users").get("users"));
  }

  private record Run(int code, String out, String err) {
  }

  /** {@code faultline migrate}; the password, when the URL names none, from a variable named by option. */
  private Run migrate(Path from, String to) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> args = new java.util.ArrayList<>(List.of("migrate", "--from", from.toString(),
        "--password-env", "TEST_PG_SECRET"));
    if (to != null) {
      args.addAll(List.of("--to", to));
    }
    int code = Cli.execute(args.toArray(String[]::new), Map.of("TEST_PG_SECRET", PASSWORD_CANARY), env -> {
      throw new AssertionError("migrate must not serve");
    }, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  /** The test server trusts local connections, so any password passes: it is there to be kept secret. */
  private static String withoutPassword(String url) {
    return url.replace("&password=postgres", "");
  }

  private Path emptyInstallation() {
    Path file = dir.resolve("empty/faultline.db");
    Database.migrate(Database.dataSource(StoreLocation.sqlite(prepared(file))), StoreKind.SQLITE);
    return file;
  }

  private static Path prepared(Path file) {
    try {
      java.nio.file.Files.createDirectories(file.getParent());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return file;
  }

  private static void sqlite(Path file, String... statements) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
         Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }

  private static Map<String, Long> counts(String url, String... tables) throws SQLException {
    Map<String, Long> counts = new LinkedHashMap<>();
    try (Connection connection = DriverManager.getConnection(url);
         Statement statement = connection.createStatement()) {
      for (String table : tables) {
        try (ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table)) {
          result.next();
          counts.put(table, result.getLong(1));
        }
      }
    }
    return counts;
  }

  private JsonArray logs(String query) {
    return new JsonObject(expect(200, send("GET", "/api/logs?limit=100" + query, null, null)).body())
        .getJsonArray("entries");
  }

  private JsonArray audit() {
    return new JsonObject(expect(200, send("GET", "/api/audit", null, null)).body()).getJsonArray("entries");
  }

  private static long maxId(JsonArray entries) {
    return entries.stream().mapToLong(e -> ((JsonObject) e).getLong("id")).max().orElseThrow();
  }

  private static <T> T waitFor(String what, Supplier<T> probe, Predicate<T> done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    T value = probe.get();
    while (!done.test(value)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not within 20 s; last seen " + value);
      }
      Thread.sleep(100);
      value = probe.get();
    }
    return value;
  }

  private HttpResponse<String> chat(JsonObject proxy) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.getInteger("port")
            + "/v1/chat/completions"))
        .header("Authorization", "Bearer sk-test").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")));
  }

  /** An admin API call; {@code authorization} null: the harness admin's token, empty: none. */
  private HttpResponse<String> send(String method, String path, String authorization, Object body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + faultline.adminPort() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    String auth = authorization == null ? FaultlineHarness.adminAuthorization() : authorization;
    if (!auth.isEmpty()) {
      request.header("Authorization", auth);
    }
    return send(request);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static HttpResponse<String> expect(int status, HttpResponse<String> response) {
    assertEquals(status, response.statusCode(), () -> response.request().uri() + ": " + response.body());
    return response;
  }
}
