package dev.faultline.logs;

import dev.faultline.testing.TcpBridgeClient;
import io.vertx.core.http.WebSocketConnectOptions;
import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live entries leave Faultline three ways: server-sent events, the SockJS bridge for browsers,
 * and the TCP bridge for other services (a client written here, speaking its framing). Each
 * lets out the monitoring addresses only, and takes nothing in.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveStreamsTest {

  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private Faultline faultline;
  private WebClient client;
  private int tcpPort;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    tcpPort = FaultlineHarness.freePort();
    faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir)
        .withMonitoring(LogTesting.monitoring(dataDir, tcpPort))));
    client = FaultlineHarness.client(vertx);
  }

  @AfterEach
  void stop() {
    await(faultline.stop());
  }

  @Test
  void theSseStreamSendsLiveEntriesOfTheProxyAsked() throws InterruptedException {
    JsonObject watched = mockProxy("watched");
    JsonObject other = mockProxy("other");
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    HttpClient http = vertx.createHttpClient();
    await(http.request(HttpMethod.GET, faultline.adminPort(), "127.0.0.1",
            "/api/logs/stream?proxy=" + watched.getString("id"))
        .compose(request -> request.putHeader("Authorization", FaultlineHarness.adminAuthorization()).send()
            .map(response -> {
          assertEquals("text/event-stream", response.getHeader("content-type"));
          RecordParser parser = RecordParser.newDelimited("\n\n", event -> events.add(event.toString()));
          response.handler(parser);
          return response;
        })));
    // A waiting limit, not a speed check: generous so a loaded machine does not fail it.
    String opening = events.poll(20, TimeUnit.SECONDS);
    assertTrue(opening != null && opening.startsWith(":"), "a comment opens the stream, got " + opening);

    chat(other);
    chat(watched);
    chat(watched);

    for (int i = 0; i < 2; i++) {
      String event = events.poll(10, TimeUnit.SECONDS);
      assertTrue(event != null && event.startsWith("data: "), "a live entry, got " + event);
      JsonObject entry = new JsonObject(event.substring("data: ".length()));
      assertEquals(watched.getString("id"), entry.getString("proxy_id"), "only the proxy asked for: " + entry);
      assertEquals(200, entry.getInteger("status"));
      assertEquals("/v1/chat/completions", entry.getString("path"));
    }
    assertEquals(null, events.poll(300, TimeUnit.MILLISECONDS), "nothing of the other proxy");
  }

  @Test
  void aTcpBridgeClientReceivesLogEntriesAndMetricsAndCannotSendOrListenElsewhere() throws InterruptedException {
    JsonObject proxy = mockProxy("tcp");
    BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    NetSocket socket = TcpBridgeClient.connect(vertx, "127.0.0.1", tcpPort, frames::add);

    // Each subscription carries the admin's token; without one it is refused (OwnershipIsolationTest).
    TcpBridgeClient.send(socket, register(LogListener.ADDRESS));
    TcpBridgeClient.send(socket, register("faultline.metrics"));
    TcpBridgeClient.send(socket, register("faultline.internal.metrics.snapshot"));
    assertDenied(frames.poll(5, TimeUnit.SECONDS), "listening to an address not on the list");
    TcpBridgeClient.send(socket, new JsonObject().put("type", "publish").put("address", LogListener.ADDRESS)
        .put("body", new JsonObject().put("forged", true)));
    assertDenied(frames.poll(5, TimeUnit.SECONDS), "sending in");

    JsonObject log = null;
    JsonObject metrics = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((log == null || metrics == null) && System.nanoTime() < deadline) {
      if (log == null) {
        // A registration is in place once its token is checked: requests until one is heard.
        chat(proxy);
      }
      JsonObject frame = frames.poll(1, TimeUnit.SECONDS);
      if (frame == null) {
        continue;
      }
      assertEquals("message", frame.getString("type"), frame.encode());
      assertTrue(!frame.getJsonObject("body").containsKey("forged"), "nothing sent in came back out");
      if (LogListener.ADDRESS.equals(frame.getString("address"))) {
        log = frame.getJsonObject("body");
      } else if ("faultline.metrics".equals(frame.getString("address"))) {
        metrics = frame.getJsonObject("body");
      }
    }
    assertTrue(log != null, "a faultline.log message arrived");
    assertEquals(proxy.getString("id"), log.getString("proxy_id"));
    assertEquals(LogField.values().length, log.size(), "the whole entry: " + log);
    assertTrue(metrics != null && metrics.containsKey("overall"), "a faultline.metrics message arrived: " + metrics);
    socket.close();
  }

  @Test
  void theSockJsBridgeLetsBrowsersSubscribeToTheMonitoringAddressesOnly() throws InterruptedException {
    JsonObject proxy = mockProxy("browser");
    BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    WebSocketClient ws = vertx.createWebSocketClient();
    WebSocket socket = await(ws.connect(new WebSocketConnectOptions().setPort(faultline.adminPort())
        .setHost("127.0.0.1").setURI("/eventbus/websocket").addHeader("Authorization", FaultlineHarness.adminAuthorization())).map(open -> {
      // The raw WebSocket transport sends each bridge message as one binary frame of JSON.
      open.handler(data -> frames.add(data.toJsonObject()));
      return open;
    }));

    socket.writeTextMessage(new JsonObject().put("type", "register").put("address", "faultline.proxy.status").encode());
    socket.writeTextMessage(new JsonObject().put("type", "register").put("address", LogListener.ADDRESS).encode());
    socket.writeTextMessage(new JsonObject().put("type", "send").put("address", LogListener.ADDRESS)
        .put("body", new JsonObject()).encode());
    // Frames are handled in order: once the refusal is back, both registrations are in place.
    assertDenied(frames.poll(5, TimeUnit.SECONDS), "sending in");

    chat(proxy);
    await(client.post(faultline.adminPort(), "127.0.0.1", "/api/proxies/" + proxy.getString("id") + "/stop").send());

    boolean sawLog = false;
    boolean sawStatus = false;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!(sawLog && sawStatus) && System.nanoTime() < deadline) {
      JsonObject frame = frames.poll(1, TimeUnit.SECONDS);
      if (frame != null && "rec".equals(frame.getString("type"))) {
        sawLog |= LogListener.ADDRESS.equals(frame.getString("address"))
            && proxy.getString("id").equals(frame.getJsonObject("body").getString("proxy_id"));
        sawStatus |= "faultline.proxy.status".equals(frame.getString("address"))
            && "stopped".equals(frame.getJsonObject("body").getString("status"));
      }
    }
    assertTrue(sawLog, "a faultline.log message reached the browser");
    assertTrue(sawStatus, "a faultline.proxy.status message reached the browser");
  }

  private JsonObject mockProxy(String name) {
    return LogTesting.proxy(client, faultline, new JsonObject().put("name", name).put("provider", "mock"));
  }

  private void chat(JsonObject proxy) {
    assertEquals(200, await(client.post(proxy.getInteger("port"), "127.0.0.1", "/v1/chat/completions")
        .putHeader("authorization", "Bearer sk-x").putHeader("content-type", "application/json")
        .sendBuffer(Buffer.buffer(CHAT))).statusCode());
  }

  private static JsonObject register(String address) {
    return new JsonObject().put("type", "register").put("address", address)
        .put("headers", new JsonObject().put("authorization", FaultlineHarness.adminAuthorization()));
  }


  private static void assertDenied(JsonObject frame, String what) {
    assertTrue(frame != null && "err".equals(frame.getString("type"))
        && "access_denied".equals(frame.getString("body", frame.getString("message"))),
        what + " is refused with access_denied, got " + frame);
  }
}
