package dev.faultline.plugins.openai;

import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.plugin.api.ProviderSession;
import dev.faultline.plugin.api.ProxyRequest;
import dev.faultline.plugin.api.UpstreamClient;
import dev.faultline.plugin.api.UpstreamGuard;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;

/**
 * Forwards one proxy's requests to its upstream over a pooled, kept-alive HTTP client. Each
 * request connects to the address the host's {@link UpstreamGuard} resolved and allowed (a name
 * that now points elsewhere is refused, not followed), with the name kept for {@code Host}, TLS
 * SNI and the certificate check. Redirects are relayed to the caller, never followed: a
 * {@code 302} to a metadata address must not make Faultline send the caller's key there.
 */
final class OpenAiSession implements ProviderSession {

  private final UpstreamClient client;
  private final Upstream upstream;
  private final OpenAiOptions options;

  OpenAiSession(Vertx vertx, Upstream upstream, OpenAiOptions options, UpstreamGuard guard) {
    this.upstream = upstream;
    this.options = options;
    this.client = new UpstreamClient(vertx, guard, upstream.ssl(), options.connectTimeoutMs(),
        options.maxConnections());
  }

  @Override
  public Future<ProviderResponse> forward(ProxyRequest request) {
    return forward(request, Promise.<Void>promise().future());
  }

  @Override
  public Future<ProviderResponse> forward(ProxyRequest request, Future<Void> abandoned) {
    RequestOptions requestOptions = new RequestOptions()
        .setMethod(HttpMethod.valueOf(request.method()))
        .setHost(upstream.host())
        .setPort(upstream.port())
        .setSsl(upstream.ssl())
        .setFollowRedirects(false)
        .setURI(upstream.resolve(request.uri()))
        .setIdleTimeout(TimeUnit.SECONDS.toMillis(options.idleTimeoutSeconds()));
    request.headers().forEach((name, value) -> {
      // The client sets its own host, and its own framing for the body it sends.
      if (!Headers.isHopByHop(name) && !"host".equalsIgnoreCase(name)) {
        requestOptions.addHeader(name, value);
      }
    });
    return client.request(requestOptions)
        .compose(upstreamRequest -> {
          // An answer nobody will read (the caller left, the proxy timed out) is not generated on.
          abandoned.onComplete(v -> upstreamRequest.reset());
          return upstreamRequest.send(request.body()).map(OpenAiSession::relayable);
        });
  }

  /** Paused, as the host asks, so no byte arrives before the host is ready to relay it. */
  private static ProviderResponse relayable(HttpClientResponse response) {
    response.pause();
    return new ProviderResponse(response.statusCode(), Headers.copyOf(response.headers()), response,
        () -> response.request().reset());
  }

  @Override
  public Future<Void> close() {
    // Requests still in flight (a long stream, say) finish before the connections close.
    return client.close();
  }
}
