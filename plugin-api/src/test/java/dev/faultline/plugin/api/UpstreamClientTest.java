package dev.faultline.plugin.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Against a real upstream on loopback, reached under a name only the guard knows: the pool is made
 * by the first request, every connection goes where the guard says, and a closed client makes none.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UpstreamClientTest {

  private static final String NAME = "upstream.invalid";

  private Vertx vertx;
  private HttpServer upstream;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicReference<String> host = new AtomicReference<>();
  /** HTTP clients made on this Vert.x, as its metrics hook sees them. */
  private final AtomicInteger pools = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MetricsOptions().setEnabled(true)))
        .withMetrics(options -> new VertxMetrics() {
          @Override
          public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions clientOptions) {
            pools.incrementAndGet();
            return null;
          }
        })
        .build();
    upstream = vertx.createHttpServer()
        .connectionHandler(connection -> connections.incrementAndGet())
        .requestHandler(request -> {
          host.set(request.getHeader("host"));
          request.response().end("{\"ok\":true}");
        })
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void theFirstRequestMakesThePoolAndConnectsWhereTheGuardSays() throws Exception {
    UpstreamClient client = new UpstreamClient(vertx, toLoopback(), false, 5_000, 4);
    assertEquals(0, pools.get(), "no pool before the first request");

    assertEquals("{\"ok\":true}", get(client).await(10, TimeUnit.SECONDS));
    assertEquals(1, connections.get(), "one connection for the first request");
    assertEquals("{\"ok\":true}", get(client).await(10, TimeUnit.SECONDS));
    assertEquals(1, pools.get(), "one pool, made by the first request, for both");
    assertEquals(NAME + ":" + upstream.actualPort(), host.get(), "the name still goes in Host");
    client.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aClientNeverUsedClosesWithoutAPoolAndRefusesRequestsAfter() throws Exception {
    UpstreamClient client = new UpstreamClient(vertx, toLoopback(), false, 5_000, 4);
    client.close().await(10, TimeUnit.SECONDS);
    Exception refused = assertThrows(Exception.class, () -> get(client).await(10, TimeUnit.SECONDS));
    assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
    assertEquals(0, pools.get(), "no pool was made at all");
    assertEquals(0, connections.get(), "nothing connected to the upstream");
  }

  @Test
  void anAddressTheGuardRefusesIsNeverConnectedTo() {
    UpstreamGuard refusing = (name, port) ->
        Future.failedFuture(new UpstreamRefusedException(name + " is not allowed"));
    UpstreamClient client = new UpstreamClient(vertx, refusing, false, 5_000, 4);
    Exception refused = assertThrows(Exception.class, () -> get(client).await(10, TimeUnit.SECONDS));
    assertTrue(refused instanceof UpstreamRefusedException, refused.toString());
    assertEquals(0, connections.get(), "nothing connected to the upstream");
    assertEquals(0, pools.get(), "no pool for a refused address");
  }

  @Test
  void aRequestWithoutAPortFailsSayingSo() {
    UpstreamClient client = new UpstreamClient(vertx, toLoopback(), false, 5_000, 4);
    Future<?> request = client.request(new RequestOptions().setHost(NAME).setURI("/v1/models"));
    Exception failed = assertThrows(Exception.class, () -> request.await(10, TimeUnit.SECONDS));
    assertTrue(failed.getMessage().contains("host and port"), failed.getMessage());
  }

  /** A guard that allows {@link #NAME} and gives the upstream's loopback address for it. */
  private UpstreamGuard toLoopback() {
    return (name, port) -> NAME.equals(name)
        ? Future.succeededFuture(SocketAddress.inetSocketAddress(port, "127.0.0.1"))
        : Future.failedFuture(new UpstreamRefusedException(name + " is not " + NAME));
  }

  private Future<String> get(UpstreamClient client) {
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(NAME).setPort(upstream.actualPort())
            .setURI("/v1/models"))
        .compose(request -> request.send())
        .compose(HttpClientResponse::body)
        .map(Object::toString);
  }
}
