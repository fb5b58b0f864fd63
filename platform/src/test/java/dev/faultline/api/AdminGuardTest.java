package dev.faultline.api;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.FaultlineHarness.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.List;
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
 * What another web page could do to the admin port, done here with the headers a browser would
 * send for it, and refused; the dashboard's own requests, and clients that send no Origin (curl,
 * services), still served. A whole Faultline on real ports with a real SQLite file.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminGuardTest {

  private static final String EVIL = "http://evil.example";
  private static final String CONFIGURED = "faultline.test";

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private Faultline faultline;
  private WebClient client;
  private int port;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    faultline = await(Faultline.start(vertx, FaultlineHarness.config(dataDir).withAdminAllowedHosts(List.of(CONFIGURED))));
    client = FaultlineHarness.client(vertx);
    port = faultline.adminPort();
  }

  @AfterEach
  void stop() {
    if (faultline != null) {
      await(faultline.stop());
    }
  }

  @Test
  void aForeignPageCannotCreateAProxyWithAPlainTextPost() {
    String body = new JsonObject().put("name", "planted").put("provider", "mock").encode();
    // What a <form enctype="text/plain"> or fetch(…, {mode: "no-cors"}) elsewhere sends.
    refused(send(HttpMethod.POST, "/api/proxies").putHeader("Origin", EVIL).putHeader("content-type", "text/plain")
        .sendBuffer(Buffer.buffer(body)), 403, "Origin");
    // The same with the Origin stripped (an old browser, a privacy extension): the body type alone stops it.
    refused(send(HttpMethod.POST, "/api/proxies").putHeader("content-type", "text/plain")
        .sendBuffer(Buffer.buffer(body)), 415, "Content-Type");
    refused(send(HttpMethod.POST, "/api/proxies").sendBuffer(Buffer.buffer(body)), 415, "Content-Type");
    refused(send(HttpMethod.POST, "/api/proxies").putHeader("content-type", "application/x-www-form-urlencoded")
        .sendBuffer(Buffer.buffer(body)), 415, "Content-Type");
    assertEquals(0, proxies().size(), "nothing was created");

    // The dashboard's own request (same origin, JSON) and curl's (no Origin) are served.
    expect(await(send(HttpMethod.POST, "/api/proxies").putHeader("Origin", "http://127.0.0.1:" + port)
        .putHeader("Sec-Fetch-Site", "same-origin").putHeader("content-type", "application/json; charset=utf-8")
        .sendBuffer(Buffer.buffer(body))), 201);
    expect(await(send(HttpMethod.POST, "/api/proxies").sendJsonObject(new JsonObject().put("name", "curl")
        .put("provider", "mock"))), 201);
    assertEquals(2, proxies().size());
  }

  @Test
  void aForeignPageCannotStopOrStartAProxy() {
    String id = await(FaultlineHarness.createProxy(client, faultline, new JsonObject().put("name", "q")
        .put("provider", "mock"))).getString("id");

    refused(send(HttpMethod.POST, "/api/proxies/" + id + "/stop").putHeader("Origin", EVIL).send(), 403, "Origin");
    refused(send(HttpMethod.POST, "/api/proxies/" + id + "/stop").putHeader("Origin", "null").send(), 403, "Origin");
    // Another port on the same machine is another origin (another app on localhost).
    refused(send(HttpMethod.POST, "/api/proxies/" + id + "/stop").putHeader("Origin", "http://127.0.0.1:" + (port + 1))
        .send(), 403, "Origin");
    refused(send(HttpMethod.POST, "/api/proxies/" + id + "/stop").putHeader("Sec-Fetch-Site", "cross-site").send(),
        403, "Sec-Fetch-Site");
    refused(send(HttpMethod.POST, "/api/proxies/" + id + "/stop").putHeader("content-type", "text/plain").send(),
        415, "Content-Type");
    refused(send(HttpMethod.DELETE, "/api/proxies/" + id).putHeader("Origin", EVIL).send(), 403, "Origin");
    assertEquals("running", status(id), "still running");

    // Bodyless, as the dashboard (same origin) and curl (no Origin) send them.
    expect(await(send(HttpMethod.POST, "/api/proxies/" + id + "/stop").putHeader("Origin", "http://127.0.0.1:" + port)
        .send()), 200);
    assertEquals("stopped", status(id));
    refused(send(HttpMethod.POST, "/api/proxies/" + id + "/start").putHeader("Origin", EVIL).send(), 403, "Origin");
    assertEquals("stopped", status(id), "still stopped");
    expect(await(send(HttpMethod.POST, "/api/proxies/" + id + "/start").send()), 200);
    assertEquals("running", status(id));
  }

  @Test
  void aForeignPageCannotImportACassette() {
    String id = await(FaultlineHarness.createProxy(client, faultline, new JsonObject().put("name", "c")
        .put("provider", "mock"))).getString("id");
    String cassette = expect(await(send(HttpMethod.GET, "/api/proxies/" + id + "/cache/export").send()), 200)
        .bodyAsString();
    String path = "/api/proxies/" + id + "/cache/import";

    refused(send(HttpMethod.POST, path).putHeader("Origin", EVIL).putHeader("content-type", "text/plain")
        .sendBuffer(Buffer.buffer(cassette)), 403, "Origin");
    refused(send(HttpMethod.POST, path).putHeader("content-type", "text/plain").sendBuffer(Buffer.buffer(cassette)),
        415, "Content-Type");
    refused(send(HttpMethod.POST, path).sendBuffer(Buffer.buffer(cassette)), 415, "Content-Type");

    JsonObject imported = expect(await(send(HttpMethod.POST, path).putHeader("content-type", "application/x-ndjson")
        .sendBuffer(Buffer.buffer(cassette))), 200).bodyAsJsonObject();
    assertEquals(0, imported.getInteger("imported"), imported.encode());
  }

  @Test
  void aRequestUnderAnotherHostNameIsRefusedOnEveryRoute() {
    // DNS rebinding: the page's own name now points here, so the browser sends its Host and no Origin.
    for (String path : List.of("/api/proxies", "/healthz", "/metrics", "/api/logs", "/", "/eventbus/info")) {
      HttpResponse<Buffer> response = refused(send(HttpMethod.GET, path).virtualHost("evil.example").send(), 421,
          "Host");
      assertTrue(response.bodyAsJsonObject().getJsonObject("error").getString("message")
          .contains("admin.allowed_hosts"), path + ": the error says how to allow a name: " + response.bodyAsString());
    }
    refused(send(HttpMethod.POST, "/api/proxies").virtualHost("evil.example").putHeader("Origin", EVIL + ":" + port)
        .sendJsonObject(new JsonObject().put("name", "x").put("provider", "mock")), 421, "Host");
    assertEquals(0, proxies().size());

    for (String name : List.of("localhost", "127.0.0.1", CONFIGURED)) {
      expect(await(send(HttpMethod.GET, "/api/proxies").virtualHost(name).send()), 200);
      // The dashboard under that name posts with its own origin.
      expect(await(send(HttpMethod.POST, "/api/proxies").virtualHost(name).putHeader("Origin", "http://" + name + ":" + port)
          .sendJsonObject(new JsonObject().put("name", "via-" + name).put("provider", "mock"))), 201);
    }
    // Same port, but the page is another name's: not the same origin.
    refused(send(HttpMethod.POST, "/api/proxies").virtualHost("localhost").putHeader("Origin", "http://127.0.0.1:" + port)
        .sendJsonObject(new JsonObject().put("name", "mixed").put("provider", "mock")), 403, "Origin");
  }

  @Test
  void aLinkFromAnotherSiteStillOpensTheDashboardButCannotFetchFromIt() {
    HttpResponse<Buffer> page = await(send(HttpMethod.GET, "/").putHeader("Sec-Fetch-Site", "cross-site")
        .putHeader("Sec-Fetch-Mode", "navigate").putHeader("Sec-Fetch-Dest", "document").send());
    assertTrue(page.statusCode() != 403 && page.statusCode() != 421, "a top-level page load is served: "
        + page.statusCode());
    refused(send(HttpMethod.GET, "/").putHeader("Sec-Fetch-Site", "cross-site").putHeader("Sec-Fetch-Mode", "navigate")
        .putHeader("Sec-Fetch-Dest", "iframe").send(), 403, "Sec-Fetch-Site");
    refused(send(HttpMethod.GET, "/api/proxies").putHeader("Sec-Fetch-Site", "cross-site")
        .putHeader("Sec-Fetch-Mode", "no-cors").send(), 403, "Sec-Fetch-Site");
    refused(send(HttpMethod.GET, "/api/logs/stream").putHeader("Sec-Fetch-Site", "same-site")
        .putHeader("Sec-Fetch-Mode", "cors").send(), 403, "Sec-Fetch-Site");
  }

  @Test
  void theSockJsBridgeAnswersNoOtherOrigin() {
    HttpResponse<Buffer> info = refused(send(HttpMethod.GET, "/eventbus/info").putHeader("Origin", EVIL)
        .putHeader("Cookie", "JSESSIONID=x").send(), 403, "Origin");
    assertNull(info.getHeader("access-control-allow-origin"), "no CORS grant for another page");
    assertNull(info.getHeader("access-control-allow-credentials"));

    HttpResponse<Buffer> own = expect(await(send(HttpMethod.GET, "/eventbus/info")
        .putHeader("Origin", "http://127.0.0.1:" + port).send()), 200);
    assertTrue(own.bodyAsJsonObject().getBoolean("websocket"), own.bodyAsString());
  }

  @Test
  void aWebSocketFromAnotherOriginNeverOpens() throws InterruptedException {
    WebSocketClient ws = vertx.createWebSocketClient();
    for (WebSocketConnectOptions options : List.of(
        socket().putHeader("Origin", EVIL),
        socket().putHeader("Origin", "http://localhost:" + port),
        socket().setHost("127.0.0.1").putHeader("Host", "evil.example:" + port))) {
      Future<WebSocket> opened = ws.connect(options);
      try {
        WebSocket socket = await(opened);
        socket.close();
        fail("a WebSocket opened for " + options.getHeaders());
      } catch (RuntimeException e) {
        Throwable cause = opened.cause();
        assertTrue(cause instanceof UpgradeRejectedException, "refused at the handshake: " + cause);
        int status = ((UpgradeRejectedException) cause).getStatus();
        assertTrue(status == 403 || status == 421, "403 or 421, got " + status + " for " + options.getHeaders());
      }
    }

    // Its own page's socket opens and receives the live log.
    BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    WebSocket own = await(ws.connect(socket().putHeader("Origin", "http://127.0.0.1:" + port))
        .map(open -> {
          open.handler(data -> frames.add(data.toJsonObject()));
          return open;
        }));
    own.writeTextMessage(new JsonObject().put("type", "register").put("address", "faultline.proxy.status").encode());
    // Frames are handled in order: once this refusal is back, the registration is in place.
    own.writeTextMessage(new JsonObject().put("type", "send").put("address", "nowhere").encode());
    assertEquals("err", frames.poll(5, TimeUnit.SECONDS).getString("type"));
    await(FaultlineHarness.createProxy(client, faultline, new JsonObject().put("name", "seen").put("provider", "mock")));
    JsonObject frame = frames.poll(10, TimeUnit.SECONDS);
    assertTrue(frame != null && "rec".equals(frame.getString("type")), "a status message arrived: " + frame);
    own.close();
  }

  private WebSocketConnectOptions socket() {
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket")
        .addHeader("Authorization", FaultlineHarness.adminAuthorization());
  }

  private HttpRequest<Buffer> send(HttpMethod method, String path) {
    return client.request(method, port, "127.0.0.1", path);
  }

  private static HttpResponse<Buffer> refused(Future<HttpResponse<Buffer>> sent, int status, String field) {
    HttpResponse<Buffer> response = expect(await(sent), status);
    JsonObject error = response.bodyAsJsonObject().getJsonObject("error");
    assertEquals(status, error.getInteger("status"), response.bodyAsString());
    assertEquals(field, error.getString("field"), response.bodyAsString());
    assertTrue(error.getString("message").startsWith(field + ": "), "the message names the problem: "
        + error.getString("message"));
    return response;
  }

  private JsonArray proxies() {
    return expect(await(send(HttpMethod.GET, "/api/proxies").send()), 200).bodyAsJsonArray();
  }

  private String status(String id) {
    return expect(await(send(HttpMethod.GET, "/api/proxies/" + id).send()), 200).bodyAsJsonObject().getString("status");
  }
}
