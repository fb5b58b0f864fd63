package dev.faultline.api;

import dev.faultline.proxy.ProxyException;
import dev.faultline.proxy.control.ProxyManager;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /api/proxies/:id/playground}: sends a chat completion to the proxy's own port, a real
 * HTTP call on this machine, so the proxy's faults, cache, limits and logs treat it as any caller's
 * request; answers what came back, with its headers and timing. The dashboard needs it because the
 * browser may only reach the admin origin (the CSP's {@code connect-src 'self'}). Only the proxy's
 * owner or an admin gets here ({@link ProxyAccess}).
 */
final class PlaygroundRoutes {

  /** Enough for any chat answer a person reads; a longer one is cut and marked {@code truncated}. */
  static final int MAX_BODY_BYTES = 256 * 1024;
  /** A hang fault, or a drip, would otherwise hold the dashboard's request for ever. */
  static final long MAX_CALL_MS = 120_000;

  private final Vertx vertx;
  private final ProxyManager proxies;
  private final String proxyHost;
  private final HttpClient client;

  /** @param proxyHost the address the proxies listen on ({@code 0.0.0.0} means any: the call goes to 127.0.0.1) */
  PlaygroundRoutes(Vertx vertx, ProxyManager proxies, String proxyHost) {
    this.vertx = vertx;
    this.proxies = proxies;
    this.proxyHost = loopbackFor(proxyHost);
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)
        .setIdleTimeout((int) (MAX_CALL_MS / 1000)));
  }

  void mount(Router router) {
    router.post("/api/proxies/:id/playground").handler(this::send);
  }

  private void send(RoutingContext ctx) {
    PlaygroundRequest request;
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        throw new Responses.BadRequest(null, "body: a JSON object is required: {\"model\", \"messages\", "
            + "\"stream\", \"api_key\"}");
      }
      request = PlaygroundRequest.parse(body);
    } catch (DecodeException | ClassCastException e) {
      Responses.failure(ctx, new Responses.BadRequest(null, "body: must be a JSON object"));
      return;
    } catch (Responses.BadRequest bad) {
      Responses.failure(ctx, bad);
      return;
    }
    String id = ctx.pathParam("id");
    Responses.reply(ctx, 200, proxies.get(id).compose(proxy -> {
      if (!"running".equals(proxy.getString("status"))) {
        return Future.failedFuture(ProxyException.conflict("status", "proxy '" + proxy.getString("name") + "' is "
            + proxy.getString("status") + "; start it to send it a request"));
      }
      return call(proxy.getInteger("port"), request);
    }));
  }

  private Future<JsonObject> call(int port, PlaygroundRequest request) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(proxyHost).setPort(port)
        .setURI("/v1/chat/completions").setIdleTimeout(MAX_CALL_MS)
        .addHeader("content-type", "application/json")
        .addHeader("accept", request.stream() ? "text/event-stream" : "application/json")
        .addHeader("user-agent", "faultline-playground");
    if (request.apiKey() != null) {
      options.addHeader("authorization", "Bearer " + request.apiKey());
    }
    PlaygroundResult result = new PlaygroundResult(MAX_BODY_BYTES);
    Promise<JsonObject> done = Promise.promise();
    long timer = vertx.setTimer(MAX_CALL_MS, t -> done.tryComplete(result.broken("no complete answer within "
        + MAX_CALL_MS / 1000 + " s; the playground stopped waiting")));
    client.request(options)
        .compose(sent -> {
          done.future().onComplete(v -> sent.reset());
          return sent.send(Buffer.buffer(request.chatBody().encode(), StandardCharsets.UTF_8.name()));
        })
        .onSuccess(response -> read(response, result, done))
        // Before any answer (a reset fault, a stopped proxy): still a result to show, not the playground's failure.
        .onFailure(e -> done.tryComplete(result.broken(describe(e))));
    return done.future().onComplete(v -> vertx.cancelTimer(timer));
  }

  private static void read(HttpClientResponse response, PlaygroundResult result, Promise<JsonObject> done) {
    result.headers(response);
    response.handler(result::append);
    response.exceptionHandler(e -> done.tryComplete(result.broken("the answer broke off: " + describe(e))));
    response.endHandler(v -> done.tryComplete(result.complete()));
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static String loopbackFor(String host) {
    if (host == null || host.isBlank() || host.equals("0.0.0.0")) {
      return "127.0.0.1";
    }
    return host.equals("::") || host.equals("[::]") ? "::1" : host;
  }
}
