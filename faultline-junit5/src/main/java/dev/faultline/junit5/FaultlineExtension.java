package dev.faultline.junit5;

import dev.faultline.auth.AuthSettings;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A whole Faultline in the test's JVM, for an application's JUnit 5 tests:
 *
 * <pre>{@code
 * @RegisterExtension
 * static FaultlineExtension faultline = new FaultlineExtension();
 * }</pre>
 *
 * <p>Registered on a static field it starts once for the class (before {@code @BeforeAll}
 * methods) and stops after it; on an instance field, once per test. It runs with a fresh data
 * folder, the admin API and proxies on free loopback ports, the bundled plugins ({@code mock},
 * {@code openai}, {@code anthropic} and the built-in faults) and a first admin whose API token the
 * kit uses, so nothing needs signing in. Proxies made during a test are deleted after it; faults
 * set during a test are put back as they were before it.
 */
public final class FaultlineExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback {

  private static final String ADMIN_EMAIL = "test-kit@faultline.test";

  private Vertx vertx;
  private Faultline faultline;
  private AdminClient admin;
  private Path dataDir;
  private boolean perTest;
  private Instant startedAt;
  private Instant testStartedAt;
  private final List<FaultlineProxy> classProxies = new ArrayList<>();
  private final List<FaultlineProxy> testProxies = new ArrayList<>();

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (faultline == null) {
      perTest = true;
      start();
    }
    testStartedAt = Instant.now();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    testStartedAt = null;
    try {
      for (FaultlineProxy proxy : testProxies) {
        admin.send(HttpMethod.DELETE, "/api/proxies/" + proxy.id(), null, Map.of(), 204);
      }
      classProxies.forEach(FaultlineProxy::endTest);
    } finally {
      testProxies.clear();
      if (perTest) {
        stop();
      }
    }
  }

  /** A proxy answering from the {@code mock} provider: OpenAI-shaped answers, no network, no key checked. */
  public FaultlineProxy mockProxy(String name) {
    return proxy(new JsonObject().put("name", name).put("provider", "mock"));
  }

  /**
   * A proxy forwarding to a real upstream through {@code provider} ({@code openai}, {@code anthropic}):
   * callers' API keys travel in their own headers. {@code upstream} may be a loopback server.
   */
  public FaultlineProxy forwardingProxy(String name, String provider, String upstream) {
    return proxy(new JsonObject().put("name", name).put("provider", provider).put("upstream", upstream));
  }

  /** A proxy from its whole description, as {@code POST /api/proxies} takes it (the port is picked when not named). */
  public FaultlineProxy proxy(JsonObject spec) {
    requireStarted();
    FaultlineProxy proxy = new FaultlineProxy(this, admin, admin.json(HttpMethod.POST, "/api/proxies", spec, 201));
    (inTest() ? testProxies : classProxies).add(proxy);
    return proxy;
  }

  /** The names of the proxies there are now, as {@code GET /api/proxies} lists them. */
  public List<String> proxyNames() {
    requireStarted();
    return admin.send(HttpMethod.GET, "/api/proxies", null, Map.of(), 200).bodyAsJsonArray().stream()
        .map(proxy -> ((JsonObject) proxy).getString("name")).toList();
  }

  /** The admin API and dashboard, {@code http://127.0.0.1:<port>}. */
  public String adminUrl() {
    requireStarted();
    return "http://127.0.0.1:" + faultline.adminPort();
  }

  /** The running Faultline, for what the kit does not wrap. */
  public Faultline faultline() {
    requireStarted();
    return faultline;
  }

  boolean inTest() {
    return testStartedAt != null;
  }

  Instant journalSince() {
    return inTest() ? testStartedAt : startedAt;
  }

  private void start() {
    String token = "flt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
    try {
      dataDir = Files.createTempDirectory("faultline-test-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not make a data folder for Faultline", e);
    }
    Path plugins = dataDir.resolve("plugins");
    BundledPlugins.extractTo(plugins);
    int from = freePort();
    FaultlineConfig config = new FaultlineConfig("127.0.0.1", 0, dataDir, plugins, null, from,
        Math.min(from + 50, 65535), 16 * 1024 * 1024, 1)
        .withAuth(AuthSettings.defaults().withAdmin(ADMIN_EMAIL, token, token));
    vertx = Vertx.vertx();
    startedAt = Instant.now();
    try {
      faultline = AdminClient.await(Faultline.start(vertx, config), "starting Faultline");
    } catch (RuntimeException | AssertionError e) {
      AdminClient.await(vertx.close(), "closing Vert.x");
      vertx = null;
      deleteDataDir();
      throw e;
    }
    admin = new AdminClient(vertx, faultline.adminPort(), token);
  }

  private void stop() {
    if (faultline == null) {
      return;
    }
    try {
      admin.close();
      AdminClient.await(faultline.stop(), "stopping Faultline");
    } finally {
      AdminClient.await(vertx.close(), "closing Vert.x");
      faultline = null;
      vertx = null;
      classProxies.clear();
      deleteDataDir();
    }
  }

  private void requireStarted() {
    if (faultline == null) {
      throw new IllegalStateException("Faultline is not running: register FaultlineExtension with @RegisterExtension "
          + "and use it from @BeforeAll (static field), @BeforeEach or a test");
    }
  }

  private void deleteDataDir() {
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A temp folder left behind is no reason to fail the tests.
    }
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  /** The start of the proxies' port range: free now; the proxies take the first free ports from it. */
  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
