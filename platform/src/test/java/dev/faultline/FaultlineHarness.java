package dev.faultline;

import dev.faultline.auth.AuthSettings;
import dev.faultline.launcher.Faultline;
import dev.faultline.launcher.FaultlineConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.WebClientInternal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

/**
 * Starts a whole Faultline for a test: a real SQLite file in a temp folder, the real plugin jars
 * (which Maven copies from the plugin modules into target/plugins), the admin API on a free port,
 * no demo proxy unless asked.
 */
public final class FaultlineHarness {

  public static final Path PLUGINS = Path.of(System.getProperty("faultline.test.plugins", "target/plugins"));
  /** The lowest port {@link #freePort} hands out. */
  private static final int LOWEST_PORT = 10_000;
  /** The next port {@link #freeRange} tries; below {@link #LOWEST_PORT} until the first pick. */
  private static int next;

  private FaultlineHarness() {
  }

  /** The first admin every harness Faultline starts with (as FAULTLINE_ADMIN_EMAIL/PASSWORD/TOKEN would make). */
  public static final String ADMIN_EMAIL = "admin@faultline.test";
  public static final String ADMIN_PASSWORD = "correct-horse-battery-staple";
  public static final String ADMIN_TOKEN = "flt_harness-admin-token-0123456789abcdefghijklmnop";

  public static FaultlineConfig config(Path dataDir) {
    int from = freeRange(21);
    return new FaultlineConfig("127.0.0.1", 0, dataDir, PLUGINS, null, from, from + 20, 1024 * 1024, 1)
        .withAuth(AuthSettings.defaults().withAdmin(ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_TOKEN));
  }

  public static Future<Faultline> start(Vertx vertx, Path dataDir) {
    return Faultline.start(vertx, config(dataDir));
  }

  /**
   * A port nothing listens on right now, below the range the system picks the local ports of
   * outgoing connections from: one from that range, free when picked, could become the local end
   * of a connection (a cluster node's, a client's) before the server meant to bind it does, as a
   * restarted cluster node's admin port once did.
   */
  public static int freePort() {
    return freeRange(1);
  }

  /**
   * The first of {@code count} consecutive ports nothing listens on right now, each tried. Ports are
   * handed out in turn from a random start, each once in this JVM: two picked before either is
   * bound (a process's admin and demo ports, one node's Hazelcast port and another's admin port, a
   * proxy range and a port beside it) are never the same, as independent random picks once were.
   */
  public static synchronized int freeRange(int count) {
    int below = ephemeralFrom();
    if (next < LOWEST_PORT) {
      next = LOWEST_PORT + ThreadLocalRandom.current().nextInt(below - LOWEST_PORT);
    }
    for (int passed = 0; passed < 2 * (below - LOWEST_PORT); ) {
      if (next + count > below) {
        next = LOWEST_PORT;
      }
      int from = next;
      int taken = IntStream.range(from, from + count)
          .filter(port -> !bindable(port)).findFirst().orElse(-1);
      if (taken < 0) {
        next = from + count;
        return from;
      }
      passed += taken + 1 - from;
      next = taken + 1;
    }
    throw new IllegalStateException("no " + count + " free ports in a row between " + LOWEST_PORT + " and " + below);
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port)) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  /** The first port of the system's range for outgoing connections (Linux; 32768 elsewhere). */
  private static int ephemeralFrom() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      return Math.max(LOWEST_PORT + 1_000, Integer.parseInt(range.split("\\s+")[0]));
    } catch (IOException | RuntimeException unknown) {
      return 32_768;
    }
  }

  /**
   * A client for the admin API and proxies; nothing is retried. Its admin API requests ({@code /api},
   * {@code /metrics}) carry the first admin's API token unless they name their own
   * {@code Authorization}: tests about something else need not sign in first. Requests to proxies
   * are sent as written.
   */
  public static WebClient client(Vertx vertx) {
    WebClient client = anonymous(vertx);
    ((WebClientInternal) client).addInterceptor(ctx -> {
      if (ctx.phase() == ClientPhase.PREPARE_REQUEST) {
        String uri = ctx.request().uri();
        if ((uri.startsWith("/api/") || uri.startsWith("/metrics") || uri.startsWith("/eventbus"))
            && !ctx.request().headers().contains(HttpHeaders.AUTHORIZATION)) {
          ctx.request().putHeader(HttpHeaders.AUTHORIZATION.toString(), "Bearer " + ADMIN_TOKEN);
        }
      }
      ctx.next();
    });
    return client;
  }

  /** The first admin's {@code Authorization} header, for raw HTTP and WebSocket clients. */
  public static String adminAuthorization() {
    return "Bearer " + ADMIN_TOKEN;
  }

  /** A client that signs in as nobody. */
  public static WebClient anonymous(Vertx vertx) {
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setKeepAlive(false));
  }

  /** Creates a proxy through the admin API; fails unless it answers 201. */
  public static Future<JsonObject> createProxy(WebClient client, Faultline faultline, JsonObject proxy) {
    return client.post(faultline.adminPort(), "127.0.0.1", "/api/proxies").sendJsonObject(proxy)
        .map(response -> expect(response, 201).bodyAsJsonObject());
  }

  /** Waits for {@code future} on the test thread; a hang fails the test after 20 seconds. */
  public static <T> T await(Future<T> future) {
    try {
      return future.await(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("timed out after 20 s waiting for a result", e);
    }
  }

  public static HttpResponse<Buffer> expect(HttpResponse<Buffer> response, int status) {
    if (response.statusCode() != status) {
      throw new AssertionError("expected HTTP " + status + " but got " + response.statusCode() + ": "
          + response.bodyAsString());
    }
    return response;
  }
}
