package dev.faultline.plugins.anthropic;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.OpenAiFormat;
import dev.faultline.plugin.api.ProviderResponse;
import dev.faultline.plugin.api.ProviderSession;
import dev.faultline.plugin.api.ProxyRequest;
import dev.faultline.plugin.api.UpstreamClient;
import dev.faultline.plugin.api.UpstreamGuard;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Forwards one proxy's requests to Anthropic over a pooled, kept-alive HTTP client: native
 * requests untouched, chat completions translated (see {@link AnthropicProvider}). Each request
 * connects to the address the host's {@link UpstreamGuard} resolved and allowed, with the name
 * kept for {@code Host}, TLS SNI and the certificate check; redirects are relayed, never followed,
 * so no {@code 302} can make Faultline send the caller's key elsewhere.
 */
final class AnthropicSession implements ProviderSession {

  static final String CHAT_COMPLETIONS = "/v1/chat/completions";
  static final String MESSAGES = "/v1/messages";

  /** Anthropic's own headers a translated request keeps when an OpenAI caller sets them. */
  private static final String[] ANTHROPIC_HEADERS = {"anthropic-version", "anthropic-beta"};

  private final UpstreamClient client;
  private final Upstream upstream;
  private final AnthropicOptions options;

  AnthropicSession(Vertx vertx, Upstream upstream, AnthropicOptions options, UpstreamGuard guard) {
    this.upstream = upstream;
    this.options = options;
    this.client = new UpstreamClient(vertx, guard, upstream.ssl(), options.connectTimeoutMs(),
        options.maxConnections());
  }

  /** Whether {@code request} is one this session translates rather than relays. */
  boolean translates(ProxyRequest request) {
    return options.translateChat() && "POST".equals(request.method()) && CHAT_COMPLETIONS.equals(request.path());
  }

  @Override
  public Future<ProviderResponse> forward(ProxyRequest request) {
    return forward(request, Promise.<Void>promise().future());
  }

  @Override
  public Future<ProviderResponse> forward(ProxyRequest request, Future<Void> abandoned) {
    return translates(request) ? translated(request, abandoned) : relayed(request, abandoned);
  }

  /** Native: method, path, headers (the key among them) and body exactly as the caller sent them. */
  private Future<ProviderResponse> relayed(ProxyRequest request, Future<Void> abandoned) {
    RequestOptions requestOptions = requestOptions(HttpMethod.valueOf(request.method()), request.uri());
    request.headers().forEach((name, value) -> {
      // The client sets its own host, and its own framing for the body it sends.
      if (!Headers.isHopByHop(name) && !"host".equalsIgnoreCase(name)) {
        requestOptions.addHeader(name, value);
      }
    });
    return send(requestOptions, request.body(), abandoned).map(AnthropicSession::relayable);
  }

  private Future<ProviderResponse> translated(ProxyRequest request, Future<Void> abandoned) {
    JsonObject messages;
    try {
      if (request.json() == null) {
        throw new UntranslatableRequest(null, "The body must be a JSON chat completion request.");
      }
      messages = ChatToMessages.translate(request.json(), options.defaultMaxTokens());
    } catch (UntranslatableRequest refused) {
      return Future.succeededFuture(OpenAiFormat.errorResponse(
          ApiError.invalidRequest(refused.getMessage(), null, refused.param())));
    }
    RequestOptions requestOptions = requestOptions(HttpMethod.POST, MESSAGES)
        .addHeader("content-type", "application/json")
        .addHeader("anthropic-version", request.headers().get("anthropic-version").orElse(options.anthropicVersion()));
    request.headers().get("anthropic-beta").ifPresent(beta -> requestOptions.addHeader("anthropic-beta", beta));
    apiKey(request.headers()).ifPresent(key -> requestOptions.addHeader("x-api-key", key));
    boolean includeUsage = request.json().getValue("stream_options") instanceof JsonObject streamOptions
        && Boolean.TRUE.equals(streamOptions.getValue("include_usage"));
    return send(requestOptions, messages.toBuffer(), abandoned)
        .compose(response -> answer(response, request.stream(), includeUsage));
  }

  /** Anthropic's answer in OpenAI's shape: a stream translated as it arrives, the rest once read. */
  private static Future<ProviderResponse> answer(HttpClientResponse response, boolean stream, boolean includeUsage) {
    Headers upstreamHeaders = Headers.copyOf(response.headers());
    int status = response.statusCode();
    boolean eventStream = response.getHeader("content-type") != null
        && response.getHeader("content-type").toLowerCase().startsWith("text/event-stream");
    Instant now = Instant.now();
    if (status / 100 == 2 && stream && eventStream) {
      response.pause();
      StreamTranslator translator = new StreamTranslator(includeUsage, now.getEpochSecond());
      return Future.succeededFuture(new ProviderResponse(status,
          ResponseHeaders.forOpenAi(upstreamHeaders, "text/event-stream; charset=utf-8", now),
          new TranslatedBody(response, translator::translate), () -> response.request().reset()));
    }
    return response.body().map(body -> {
      Headers headers = ResponseHeaders.forOpenAi(upstreamHeaders, "application/json", now);
      if (status >= 400) {
        return OpenAiFormat.errorResponse(ErrorTranslation.toOpenAi(status, AnthropicError.parse(status, body),
            headers.without("content-type")));
      }
      JsonObject message = Json.object(body);
      if (message == null) {
        return OpenAiFormat.errorResponse(new ApiError(502, "server_error", "upstream_unreadable",
            "Anthropic answered HTTP " + status + " with a body that is not a JSON message.", null, Headers.empty()));
      }
      return ProviderResponse.of(status, headers, MessagesToChat.translate(message, now.getEpochSecond()).toBuffer());
    });
  }

  /**
   * The caller's key for Anthropic's {@code x-api-key}: an OpenAI SDK sends it as a bearer token.
   * Read only to move it from one header to another; never kept.
   */
  private static java.util.Optional<String> apiKey(Headers headers) {
    java.util.Optional<String> key = headers.get("x-api-key").filter(k -> !k.isBlank());
    if (key.isPresent()) {
      return key;
    }
    String authorization = headers.get("authorization").orElse("").trim();
    if (authorization.regionMatches(true, 0, "Bearer ", 0, 7) && authorization.length() > 7) {
      return java.util.Optional.of(authorization.substring(7).trim());
    }
    return headers.get("api-key").filter(k -> !k.isBlank());
  }

  private RequestOptions requestOptions(HttpMethod method, String uri) {
    return new RequestOptions()
        .setMethod(method)
        .setHost(upstream.host())
        .setPort(upstream.port())
        .setSsl(upstream.ssl())
        .setFollowRedirects(false)
        .setURI(upstream.resolve(uri))
        .setIdleTimeout(TimeUnit.SECONDS.toMillis(options.idleTimeoutSeconds()));
  }

  private Future<HttpClientResponse> send(RequestOptions requestOptions, Buffer body, Future<Void> abandoned) {
    return client.request(requestOptions)
        .compose(upstreamRequest -> {
          // An answer nobody will read (the caller left, the proxy timed out) is not generated on.
          abandoned.onComplete(v -> upstreamRequest.reset());
          return upstreamRequest.send(body);
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
