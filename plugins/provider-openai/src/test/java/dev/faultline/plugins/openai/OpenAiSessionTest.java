package dev.faultline.plugins.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.ProviderContext;
import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.plugin.api.ProviderSession;
import dev.faultline.plugin.api.ProxyRequest;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A session against a real upstream on loopback: its HTTP client is made by its first request (a
 * proxy nobody calls holds no pool), and a closed session makes none.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OpenAiSessionTest {

  private Vertx vertx;
  private HttpServer upstream;
  private final AtomicInteger connections = new AtomicInteger();
  /** HTTP clients made on this Vert.x, as its metrics hook sees them (the test's own upstream is a server). */
  private final AtomicInteger clients = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MetricsOptions().setEnabled(true)))
        .withMetrics(options -> new VertxMetrics() {
          @Override
          public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions clientOptions) {
            clients.incrementAndGet();
            return null;
          }
        })
        .build();
    upstream = vertx.createHttpServer()
        .connectionHandler(connection -> connections.incrementAndGet())
        .requestHandler(request -> request.response().putHeader("content-type", "application/json").end("{\"ok\":true}"))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aSessionAnswersAndThenClosesItsConnections() throws Exception {
    ProviderSession session = open();
    assertEquals(0, clients.get(), "no client before the first request");
    ProviderResponse response = session.forward(chat()).await(10, TimeUnit.SECONDS);
    assertEquals(200, response.status());
    response.body().resume();
    session.close().await(10, TimeUnit.SECONDS);
    assertEquals(1, connections.get(), "one kept-alive connection for the request");
    assertEquals(1, clients.get(), "one client, made by the first request");
  }

  @Test
  void aSessionNeverUsedClosesWithoutConnectingAndRefusesRequestsAfter() throws Exception {
    ProviderSession session = open();
    session.close().await(10, TimeUnit.SECONDS);
    Exception refused = assertThrows(Exception.class, () -> session.forward(chat()).await(10, TimeUnit.SECONDS));
    assertTrue(refused.getMessage().contains("closed"), refused.getMessage());
    assertEquals(0, connections.get(), "nothing connected to the upstream");
    assertEquals(0, clients.get(), "no client was made at all");
  }

  private ProviderSession open() {
    String url = "http://127.0.0.1:" + upstream.actualPort();
    return new OpenAiProvider().open(new ProviderContext() {
      @Override
      public Vertx vertx() {
        return vertx;
      }

      @Override
      public String proxyId() {
        return "prx_session";
      }

      @Override
      public String upstream() {
        return url;
      }

      @Override
      public JsonObject options() {
        return new JsonObject();
      }
    });
  }

  private static ProxyRequest chat() {
    JsonObject body = new JsonObject().put("model", "gpt-4o-mini");
    return new ProxyRequest("req_1", "POST", "/v1/chat/completions", Headers.empty(), body.toBuffer(), body);
  }
}
