package dev.faultline.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MetricsNaming;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The same HTTP traffic through a Vert.x counted by vertx-micrometer alone and through the
 * launcher's ({@link PrometheusMetrics#vertx}, whose requests {@link LeanHttpMetrics} counts): the
 * scrapes show the same {@code vertx_http_*} series, help text, labels, counts and byte sums
 * (timings aside, which differ run to run). Each Vert.x is made once and carries all of its
 * traffic: a loop of fresh Vert.x instances with one-connection pools hangs a pooled request now
 * and then in Vert.x 5.0.7 itself, with or without metrics.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeanHttpMetricsTest {

  private static final String NODE = "node-a";

  @Test
  void countsWhatVertxMicrometerCounts() throws Exception {
    PrometheusMeterRegistry plain = registry();
    Vertx plainVertx = vertx(new MicrometerMetricsFactory(plain), options("lean-test-plain"));
    Vertx leanVertx = PrometheusMetrics.vertx(NODE);
    try {
      assertEquals(LeanHttpMetrics.class, serverMetricsClass(leanVertx).getEnclosingClass(),
          "the launcher's Vert.x counts requests on the lean path");
      traffic(plainVertx);
      traffic(leanVertx);
      String actual = sameSeries(plain, PrometheusMetrics.of(leanVertx, NODE));
      assertTrue(actual.contains("# HELP vertx_http_server_requests_total Number of processed requests"), actual);
      assertTrue(actual.contains("vertx_http_server_requests_total{code=\"404\",method=\"POST\",node=\"node-a\"} 1.0"),
          actual);
      assertTrue(actual.contains("vertx_http_server_response_bytes_sum{code=\"404\",method=\"POST\",node=\"node-a\"} 6.0"),
          "the 404's body, \"no abc\": " + actual);
      assertTrue(actual.contains("vertx_http_server_request_bytes_sum{method=\"POST\",node=\"node-a\"} 10.0"),
          "the POSTs' bodies, \"abc\" and \"waiting\": " + actual);
      assertTrue(actual.contains("vertx_http_client_responses_total{code=\"200\",method=\"GET\",node=\"node-a\"} 2.0"),
          actual);
      assertTrue(actual.contains("vertx_http_client_requests_total{method=\"POST\",node=\"node-a\"} 2.0"), actual);
      assertTrue(actual.contains("vertx_http_server_active_requests{method=\"GET\",node=\"node-a\"} 0.0"), actual);
      assertTrue(actual.contains("vertx_http_client_active_requests{method=\"POST\",node=\"node-a\"} 0.0"), actual);
    } finally {
      plainVertx.close().await(30, TimeUnit.SECONDS);
      leanVertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void labelsOtherThanTheDefaultsAreCountedByVertxMicrometer() throws Exception {
    PrometheusMeterRegistry plain = registry();
    PrometheusMeterRegistry shared = registry();
    Vertx plainVertx = vertx(new MicrometerMetricsFactory(plain), options("lean-test-plain-path").addLabels(Label.HTTP_PATH));
    Vertx sharedVertx = vertx(new SharedHttpMetrics(new MicrometerMetricsFactory(shared)),
        options("lean-test-shared-path").addLabels(Label.HTTP_PATH));
    try {
      assertNotEquals(LeanHttpMetrics.class, serverMetricsClass(sharedVertx).getEnclosingClass(),
          "with a path label, vertx-micrometer counts requests");
      traffic(plainVertx);
      traffic(sharedVertx);
      String actual = sameSeries(plain, shared);
      assertTrue(actual.contains("vertx_http_server_requests_total{code=\"200\",method=\"GET\",node=\"node-a\",path=\"/ok\"} 2.0"),
          actual);
    } finally {
      plainVertx.close().await(30, TimeUnit.SECONDS);
      sharedVertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void onlyTheDefaultRequestLabelsAndNamingAreCountedOnTheLeanPath() {
    assertTrue(LeanHttpMetrics.counts(new MicrometerMetricsOptions()), "the defaults");
    assertTrue(LeanHttpMetrics.counts(options("x")), "the launcher's options");
    assertTrue(LeanHttpMetrics.counts(new MicrometerMetricsOptions().addLabels(Label.EB_ADDRESS, Label.NAMESPACE)),
        "labels that no request series carries");
    for (Label label : EnumSet.of(Label.LOCAL, Label.REMOTE, Label.HTTP_PATH, Label.HTTP_ROUTE, Label.CLIENT_NAME)) {
      assertFalse(LeanHttpMetrics.counts(new MicrometerMetricsOptions().addLabels(label)), label.name());
    }
    assertFalse(LeanHttpMetrics.counts(new MicrometerMetricsOptions().setLabels(EnumSet.of(Label.HTTP_METHOD))),
        "without the code label");
    assertFalse(LeanHttpMetrics.counts(new MicrometerMetricsOptions().setMetricsNaming(MetricsNaming.v3Names())),
        "Vert.x 3's names");
    assertFalse(LeanHttpMetrics.counts(new MicrometerMetricsOptions().setServerRequestTagsProvider(request -> Tags.empty())),
        "custom server tags");
    assertFalse(LeanHttpMetrics.counts(new MicrometerMetricsOptions().setClientRequestTagsProvider(request -> Tags.empty())),
        "custom client tags");
  }

  /** Polls until vertx-micrometer and the other agree on every series (a reset reaches the server late). */
  private static String sameSeries(PrometheusMeterRegistry plain, PrometheusMeterRegistry other) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    String expected = comparable(plain.scrape());
    String actual = comparable(other.scrape());
    while (!(actual.equals(expected) && settled(expected)) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      expected = comparable(plain.scrape());
      actual = comparable(other.scrape());
    }
    assertEquals(expected, actual);
    assertTrue(settled(actual), "every request ended or was reset, and both resets were seen: " + actual);
    return actual;
  }

  /** No request still active, and the server counted both resets (its own, and the client's). */
  private static boolean settled(String scrape) {
    return scrape.lines().filter(line -> line.startsWith("vertx_http_") && line.contains("active_requests"))
        .allMatch(line -> line.endsWith(" 0.0"))
        && scrape.lines().filter(line -> line.startsWith("vertx_http_server_request_resets_total"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum() == 2.0;
  }

  private static PrometheusMeterRegistry registry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("node", NODE);
    return registry;
  }

  /** vertx-micrometer's options as PrometheusMetrics sets them, under a registry name of their own. */
  private static MicrometerMetricsOptions options(String registryName) {
    return new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS).setRegistryName(registryName)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
  }

  private static Vertx vertx(VertxMetricsFactory factory, MicrometerMetricsOptions options) {
    return Vertx.builder().with(new VertxOptions().setMetricsOptions(options)).withMetrics(factory).build();
  }

  private static Class<?> serverMetricsClass(Vertx vertx) {
    return ((VertxInternal) vertx).metrics().createHttpServerMetrics(new HttpServerOptions(), null).getClass();
  }

  /**
   * Two 200s; a POST answered 404 with a body; a request the server resets; a POST the client
   * resets once the server has read it all.
   */
  private static void traffic(Vertx vertx) throws Exception {
    Promise<Void> waitingRead = Promise.promise();
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      switch (request.path()) {
        case "/ok" -> request.response().end("hello");
        case "/reset" -> request.response().reset();
        case "/waiting" -> request.body().onSuccess(body -> waitingRead.tryComplete());
        default -> request.body().onSuccess(body -> request.response().setStatusCode(404).end("no " + body));
      }
    }).listen(0, "127.0.0.1").await(30, TimeUnit.SECONDS);
    HttpClient client = vertx.createHttpClient();
    RequestOptions target = new RequestOptions().setHost("127.0.0.1").setPort(server.actualPort());
    for (int i = 0; i < 2; i++) {
      assertEquals(200, await(send(client, new RequestOptions(target).setURI("/ok"), "")).statusCode(), "GET /ok");
    }
    assertEquals(404, await(send(client, new RequestOptions(target).setMethod(HttpMethod.POST).setURI("/missing"), "abc"))
        .statusCode(), "POST /missing");
    assertTrue(send(client, new RequestOptions(target).setURI("/reset"), "").toCompletionStage().toCompletableFuture()
        .handle((response, error) -> error != null).get(30, TimeUnit.SECONDS), "the request the server reset failed");
    HttpClientRequest waiting = await(client.request(new RequestOptions(target).setMethod(HttpMethod.POST)
        .setURI("/waiting")));
    waiting.end("waiting");
    await(waitingRead.future());
    assertTrue(await(waiting.reset()) == null, "the client reset its request");
  }

  private static Future<HttpClientResponse> send(HttpClient client, RequestOptions options, String body) {
    // The body read in the callback that sent the request (on the event loop): chained from the
    // test's thread, it can be asked for after the answer has ended, and never complete.
    return client.request(options)
        .compose(request -> request.send(body).compose(response -> response.body().map(ignored -> response)));
  }

  /** Generous: the first test of a fresh JVM on a busy machine once took 10 s for its first request. */
  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /**
   * The {@code vertx_http_*} series and their help, without timings and without what
   * vertx-micrometer counts itself on both paths (connections, bytes on the wire, socket errors).
   */
  private static String comparable(String scrape) {
    return scrape.lines()
        .filter(line -> seriesName(line).startsWith("vertx_http_"))
        .filter(line -> !seriesName(line).matches(".*_(connections|bytes_read|bytes_written|errors).*"))
        .filter(line -> !line.startsWith("vertx_http_") || !line.matches("^\\S+_seconds_(sum|max)[{ ].*"))
        .sorted()
        .collect(Collectors.joining("\n"));
  }

  /** A sample's or a {@code # HELP} or {@code # TYPE} line's series name. */
  private static String seriesName(String line) {
    if (line.startsWith("# ")) {
      String[] words = line.split(" ", 4);
      return words.length > 2 ? words[2] : "";
    }
    int end = line.indexOf('{');
    return end >= 0 ? line.substring(0, end) : line.split(" ", 2)[0];
  }
}
