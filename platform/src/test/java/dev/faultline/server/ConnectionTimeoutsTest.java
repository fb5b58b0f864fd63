package dev.faultline.server;

import io.vertx.core.http.WebSocketConnectOptions;
import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.logs.LogTesting;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle and half-sent connections are closed, on the proxies and the admin API alike, while a
 * caller waiting for a slow upstream or reading a long stream is left alone. Timeouts of 0.5 s,
 * so that the waits are short; each "closed" check allows 5 s.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionTimeoutsTest {

  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final long TIMEOUT_MS = 500;
  private static final long CLOSED_WITHIN_MS = 5_000;

  @TempDir
  Path dataDir;
  private Faultline faultline;
  private WebClient client;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir)
        .withMonitoring(LogTesting.monitoring(dataDir, null))
        .withTimeouts(new ConnectionTimeouts(TIMEOUT_MS, TIMEOUT_MS, 10_000))));
    client = FaultlineHarness.client(vertx);
    port = LogTesting.proxy(client, faultline, new JsonObject().put("name", "timeouts").put("provider", "mock"))
        .getInteger("port");
  }

  @AfterEach
  void stop() {
    await(faultline.stop());
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterItsAnswer() {
    try (RawConnection connection = new RawConnection(port)) {
      String answer = connection.send(chatHead(CHAT.length()) + CHAT).readResponse(CLOSED_WITHIN_MS);
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      assertEquals("", connection.readUntilClosed(CLOSED_WITHIN_MS), "nothing more, then closed");
    }
  }

  @Test
  void aConnectionThatNeverSendsARequestIsClosed() {
    try (RawConnection connection = new RawConnection(port)) {
      assertEquals("", connection.readUntilClosed(CLOSED_WITHIN_MS));
    }
  }

  @Test
  void aConnectionAfterTheLastOneClosedIsWatchedAgain() {
    // The sweep stops with a server's last connection and must start again with the next one.
    try (RawConnection first = new RawConnection(port)) {
      assertEquals("", first.readUntilClosed(CLOSED_WITHIN_MS));
    }
    try (RawConnection second = new RawConnection(port)) {
      assertEquals("", second.readUntilClosed(CLOSED_WITHIN_MS), "the next idle connection is closed too");
    }
  }

  @Test
  void aHalfSentHeadIsClosed() {
    try (RawConnection connection = new RawConnection(port)) {
      connection.send("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl");
      assertEquals("", connection.readUntilClosed(CLOSED_WITHIN_MS));
    }
  }

  @Test
  void aHalfSentBodyIsAnswered408InTheProvidersShapeLoggedAndClosed() {
    try (RawConnection connection = new RawConnection(port)) {
      String answer = connection.send(chatHead(CHAT.length()) + CHAT.substring(0, 10)).readUntilClosed(CLOSED_WITHIN_MS);
      assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
      JsonObject error = new JsonObject(RawConnection.body(answer)).getJsonObject("error");
      assertEquals("request_timeout", error.getString("code"), answer);
      assertEquals("invalid_request_error", error.getString("type"), answer);
      assertTrue(error.getString("message").contains("request_read_timeout_seconds"), answer);
    }
    List<JsonObject> entries = LogTesting.awaitEntries(client, faultline, "status=408", 1);
    assertEquals("request_timeout", entries.get(0).getString("error_type"), entries.toString());
  }

  @Test
  void aCallerWaitingForAHungUpstreamIsNotCut() {
    HttpResponse<Buffer> answer = await(client.post(port, "127.0.0.1", "/v1/chat/completions")
        .putHeader("content-type", "application/json").putHeader("authorization", "Bearer sk-test")
        .putHeader("x-faultline-fault", "hang;seconds=2;then=continue")
        .sendBuffer(Buffer.buffer(CHAT)));
    assertEquals(200, answer.statusCode(), "silent for 4 idle timeouts, then answered: " + answer.bodyAsString());
  }

  @Test
  void aLongStreamWithGapsBeyondTheTimeoutsIsNotCut() {
    // A few events only (max_tokens), each 0.7 s apart: silences beyond the timeouts, within the test's bound.
    String streaming = CHAT.replace("{\"model\"", "{\"stream\":true,\"max_tokens\":3,\"model\"");
    HttpResponse<Buffer> answer = await(client.post(port, "127.0.0.1", "/v1/chat/completions")
        .putHeader("content-type", "application/json").putHeader("authorization", "Bearer sk-test")
        .putHeader("x-faultline-fault", "latency;ms=1200, stream-drip;delay_ms=700")
        .sendBuffer(Buffer.buffer(streaming)));
    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    assertTrue(answer.bodyAsString().trim().endsWith("data: [DONE]"), "the whole stream: " + answer.bodyAsString());
  }

  /** The SockJS bridge's WebSocket "ends" its HTTP response at the handshake; it is not idle for that. */
  @Test
  void aBridgeWebSocketOnTheAdminPortOutlivesTheIdleTimeout(Vertx vertx) throws InterruptedException {
    AtomicBoolean closed = new AtomicBoolean();
    WebSocket socket = await(vertx.createWebSocketClient()
        .connect(new WebSocketConnectOptions().setPort(faultline.adminPort()).setHost("127.0.0.1")
            .setURI("/eventbus/websocket").addHeader("Authorization", FaultlineHarness.adminAuthorization()))
        .onSuccess(open -> open.closeHandler(v -> closed.set(true))));
    Thread.sleep(4 * TIMEOUT_MS);
    assertFalse(closed.get(), "a live bridge WebSocket was closed as idle after " + 4 * TIMEOUT_MS + " ms");
    await(socket.close());
  }

  @Test
  void theAdminApiClosesIdleAndHalfSentConnectionsToo() {
    int admin = faultline.adminPort();
    try (RawConnection idle = new RawConnection(admin)) {
      String answer = idle.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").readResponse(CLOSED_WITHIN_MS);
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      assertEquals("", idle.readUntilClosed(CLOSED_WITHIN_MS));
    }
    try (RawConnection halfHead = new RawConnection(admin)) {
      assertEquals("", halfHead.send("GET /heal").readUntilClosed(CLOSED_WITHIN_MS));
    }
    try (RawConnection halfBody = new RawConnection(admin)) {
      halfBody.send("POST /api/proxies HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100\r\n\r\n{\"name\":");
      halfBody.readUntilClosed(CLOSED_WITHIN_MS);
    }
  }

  private static String chatHead(int length) {
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Authorization: Bearer sk-test\r\nContent-Length: " + length + "\r\n\r\n";
  }
}
