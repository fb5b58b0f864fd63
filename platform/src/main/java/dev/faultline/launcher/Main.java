package dev.faultline.launcher;

import dev.faultline.api.Version;
import dev.faultline.cluster.ClusterNode;
import dev.faultline.cluster.ClusterSettings;
import dev.faultline.launcher.cli.Cli;
import dev.faultline.metrics.PrometheusMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar faultline.jar [command]}: the command line ({@link Cli}); by default, starts Faultline. */
public final class Main {

  /** At shutdown, after Faultline stopped: for Vert.x to close its threads. */
  private static final long VERTX_CLOSE_MS = 2_000;

  private Main() {
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    int code = Cli.execute(args, System.getenv(), Main::serve, out, err);
    if (code != Cli.SERVING) {
      System.exit(code);
    }
  }

  /**
   * Starts Faultline with {@code env} as its environment and waits until it is up: then returns
   * {@link Cli#SERVING} (Vert.x's threads keep the process alive), else the exit code, with the
   * reason logged in words and no stack trace when it is a setting's fault.
   */
  public static int serve(Map<String, String> env) {
    Logger log = LoggerFactory.getLogger(Main.class);

    FaultlineConfig config;
    try {
      config = new ConfigLoader(env, distDir()).load();
    } catch (ConfigLoader.ConfigException e) {
      log.error("Configuration error: {}", e.getMessage());
      return 2;
    }

    // Its event loops, HTTP servers and client pools are counted for /metrics.
    Vertx vertx;
    ClusterSettings cluster = config.cluster();
    Transport transport = NetworkTransport.chosen();
    if (transport == Transport.NIO) {
      log.info("Network transport: Java NIO (epoll is not available: {})", NetworkTransport.whyNotNative());
    } else {
      log.info("Network transport: {}", transport.name());
    }
    if (cluster.enabled()) {
      try {
        vertx = ClusterNode.join(PrometheusMetrics.builder(config.monitoring().nodeId(), ClusterNode.options(cluster))
            .withTransport(transport), cluster).toCompletionStage().toCompletableFuture().join();
      } catch (CompletionException failed) {
        Throwable e = failed.getCause() == null ? failed : failed.getCause();
        log.error("Faultline could not join its cluster: {}", e.getMessage());
        return e instanceof ClusterNode.IncompatibleNodeException ? 2 : 1;
      }
    } else {
      vertx = PrometheusMetrics.builder(config.monitoring().nodeId(), new VertxOptions()).withTransport(transport).build();
    }
    try {
      Faultline faultline = Faultline.start(vertx, config).toCompletionStage().toCompletableFuture().join();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> shutDown(faultline, vertx, log), "faultline-shutdown"));
      String base = "http://" + config.host() + ":";
      log.info("Faultline {} is up", Version.current());
      log.info("  Admin API and dashboard: {}{}/  (health: {}{}/healthz)", base, faultline.adminPort(), base,
          faultline.adminPort());
      if (config.demoPort() != null) {
        log.info("  Demo proxy (offline mock provider): {}{}/v1  -- try:", base, config.demoPort());
        log.info("    curl -s {}{}/v1/chat/completions -H 'Authorization: Bearer sk-test' "
            + "-H 'Content-Type: application/json' -d '{\"model\":\"gpt-4o-mini\",\"messages\":"
            + "[{\"role\":\"user\",\"content\":\"hi\"}]}'", base, config.demoPort());
      }
      return Cli.SERVING;
    } catch (CompletionException failed) {
      Throwable e = failed.getCause() == null ? failed : failed.getCause();
      if (e instanceof ConfigLoader.ConfigException) {
        log.error("Faultline could not start: {}", e.getMessage());
      } else {
        log.error("Faultline could not start: {}", e.getMessage(), e);
      }
      vertx.close().toCompletionStage().toCompletableFuture().completeOnTimeout(null, VERTX_CLOSE_MS,
          TimeUnit.MILLISECONDS).join();
      return e instanceof ConfigLoader.ConfigException ? 2 : 1;
    }
  }

  /**
   * On SIGTERM or Ctrl-C: stops Faultline (requests in flight get the grace) and Vert.x, waiting a
   * bounded time whatever happens, so that the process always exits.
   */
  private static void shutDown(Faultline faultline, Vertx vertx, Logger log) {
    long bound = faultline.stopBoundMillis() + VERTX_CLOSE_MS;
    log.info("Shutting down: requests in flight get {} ms to finish", faultline.config().timeouts().shutdownGraceMillis());
    try {
      faultline.stop().eventually(vertx::close).await(bound, TimeUnit.MILLISECONDS);
      log.info("Faultline stopped");
    } catch (TimeoutException e) {
      log.warn("Shutdown did not finish within {} ms; exiting anyway", bound);
    } catch (RuntimeException e) {
      log.warn("Shutdown failed: {}; exiting anyway", e.toString());
    }
  }

  /** The folder faultline.jar sits in (the distribution), or the working folder when run from classes. */
  static Path distDir() {
    try {
      Path location = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(location) ? location.getParent() : Path.of(".");
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of(".");
    }
  }
}
