package dev.faultline.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.VertxMetrics;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The launcher's Vert.x makes one HTTP server metrics object for all servers, one HTTP client
 * metrics object per client name and one per database a pool reaches, and still counts every
 * server's and every client's requests.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SharedHttpMetricsTest {

  @Test
  void serversShareOneMetricsObjectAndClientsOnePerNameAndDatabase() throws Exception {
    Vertx vertx = PrometheusMetrics.vertx("node-a");
    try {
      VertxMetrics metrics = ((VertxInternal) vertx).metrics();
      HttpServerOptions server = new HttpServerOptions();
      assertSame(metrics.createHttpServerMetrics(server, SocketAddress.inetSocketAddress(20001, "127.0.0.1")),
          metrics.createHttpServerMetrics(server, SocketAddress.inetSocketAddress(20002, "127.0.0.1")),
          "every server, whatever its port");
      assertSame(metrics.createHttpClientMetrics(new HttpClientOptions()),
          metrics.createHttpClientMetrics(new HttpClientOptions().setConnectTimeout(1234)),
          "clients of the same name and local address");
      assertNotSame(metrics.createHttpClientMetrics(new HttpClientOptions()),
          metrics.createHttpClientMetrics(new HttpClientOptions().setMetricsName("other")),
          "a client of another name counts under its own name label");
      SocketAddress database = SocketAddress.inetSocketAddress(5432, "db.example");
      assertSame(metrics.createClientMetrics(database, "sql", "faultline"),
          metrics.createClientMetrics(database, "sql", "faultline"),
          "two pools to one database (a second one registered its gauge again, with a warning)");
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void everyServersAndEveryClientsRequestsAreCounted() throws Exception {
    Vertx vertx = PrometheusMetrics.vertx("node-a");
    try {
      List<HttpServer> servers = List.of(server(vertx), server(vertx));
      List<HttpClient> clients = List.of(client(vertx), client(vertx));
      for (HttpClient client : clients) {
        for (HttpServer server : servers) {
          assertEquals("ok", get(client, server.actualPort()).await(10, TimeUnit.SECONDS));
        }
      }
      MeterRegistry registry = PrometheusMetrics.of(vertx, "node-a");
      int expected = clients.size() * servers.size();
      assertEquals(expected, count(registry, "vertx.http.server.requests"), "served, by both servers");
      assertEquals(expected, count(registry, "vertx.http.client.requests"), "sent, by both clients");
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private static HttpServer server(Vertx vertx) throws Exception {
    return vertx.createHttpServer().requestHandler(request -> request.response().end("ok"))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  private static HttpClient client(Vertx vertx) {
    return vertx.createHttpClient(new HttpClientOptions());
  }

  private static Future<String> get(HttpClient client, int port) {
    // The body read in the callback that sent the request: see LeanHttpMetricsTest.send.
    return client.request(HttpMethod.GET, port, "127.0.0.1", "/")
        .compose(request -> request.send().compose(HttpClientResponse::body))
        .map(Object::toString);
  }

  private static double count(MeterRegistry registry, String name) {
    return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }
}
