package dev.faultline.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The same HTTP traffic through a Vert.x counted by vertx-micrometer alone and through one counted
 * by {@link LeanHttpMetrics}: the scrapes show the same {@code vertx_http_*} series with the same
 * labels and the same counts and byte sums (timings aside, which differ run to run).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeanHttpMetricsTest {

  @Test
  void countsTheSameSeriesAsVertxMicrometer() throws Exception {
    PrometheusMeterRegistry plain = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PrometheusMeterRegistry lean = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx plainVertx = vertx(new MicrometerMetricsFactory(plain), "plain");
    Vertx leanVertx = vertx(new LeanHttpMetrics(new MicrometerMetricsFactory(lean), lean), "lean");
    try {
      traffic(plainVertx);
      traffic(leanVertx);
      assertSameSeries(plain, lean);
    } finally {
      await(plainVertx.close());
      await(leanVertx.close());
    }
  }

  private static void assertSameSeries(PrometheusMeterRegistry plain, PrometheusMeterRegistry lean) throws Exception {
    String expected = comparable(plain.scrape());
    // A reset reaches the server's metrics a moment after the client saw it fail.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    String actual = comparable(lean.scrape());
    while (!actual.equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      expected = comparable(plain.scrape());
      actual = comparable(lean.scrape());
    }
    assertEquals(expected, actual);
    assertTrue(actual.contains("vertx_http_server_requests_total{code=\"404\",method=\"POST\"} 1.0"), actual);
    assertTrue(actual.contains("vertx_http_client_responses_total{code=\"200\",method=\"GET\"} 2.0"), actual);
    assertTrue(actual.contains("vertx_http_server_active_requests{method=\"GET\"} 0.0"), actual);
    assertTrue(actual.contains("vertx_http_server_request_resets_total{method=\"GET\"} 1.0"), actual);
  }

  /** A Vert.x with {@code factory}'s metrics, its options as PrometheusMetrics sets them. */
  private static Vertx vertx(VertxMetricsFactory factory, String name) {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true)
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS).setRegistryName("lean-test-" + name);
    return Vertx.builder().with(new VertxOptions().setMetricsOptions(options)).withMetrics(factory).build();
  }

  /** Two 200s, a 404 with a body, and a request the server resets. */
  private static void traffic(Vertx vertx) throws Exception {
    {
      HttpServer server = await(vertx.createHttpServer().requestHandler(request -> {
        switch (request.path()) {
          case "/ok" -> request.response().end("hello");
          case "/reset" -> request.response().reset();
          default -> request.body().onSuccess(body -> request.response().setStatusCode(404).end("no " + body));
        }
      }).listen(0, "127.0.0.1"));
      HttpClient client = vertx.createHttpClient();
      for (String path : List.of("/ok", "/ok")) {
        assertEquals(200, await(send(client, server, HttpMethod.GET, path, "")).statusCode());
      }
      assertEquals(404, await(send(client, server, HttpMethod.POST, "/missing", "abc")).statusCode());
      assertTrue(send(client, server, HttpMethod.GET, "/reset", "").toCompletionStage().toCompletableFuture()
          .handle((response, error) -> error != null).get(30, TimeUnit.SECONDS), "the reset request failed");
    }
  }

  private static Future<HttpClientResponse> send(HttpClient client, HttpServer server, HttpMethod method, String path,
                                                 String body) {
    return client.request(new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(server.actualPort())
            .setURI(path))
        .compose(request -> request.send(body))
        .compose(response -> response.body().map(ignored -> response));
  }

  /** The vertx_http_* samples, without the ones that are timings or bytes on the wire. */
  private static String comparable(String scrape) {
    return scrape.lines()
        .filter(line -> line.startsWith("vertx_http_"))
        .filter(line -> !line.contains("_seconds_sum") && !line.contains("_seconds_max") && !line.contains("bytes_read")
            && !line.contains("bytes_written"))
        .sorted()
        .collect(Collectors.joining("\n"));
  }

  /** Generous: the first test of a fresh JVM on a busy machine once took 10 s for its first request. */
  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
