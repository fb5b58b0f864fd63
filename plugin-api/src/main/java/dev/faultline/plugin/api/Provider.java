package dev.faultline.plugin.api;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import org.pf4j.ExtensionPoint;

/**
 * A model provider a proxy forwards to: OpenAI, an offline mock, Anthropic, anything.
 *
 * <p>One instance serves every proxy that names its {@link #id()}; per-proxy state (an HTTP
 * client, a base URL) lives in the {@link ProviderSession} that {@link #open} returns when a
 * proxy starts, and is closed when it stops.
 *
 * <p>A provider names the API each request speaks with {@link #dialect}: Faultline's own errors and
 * every fault are then written as that API writes them. The default is OpenAI's Chat Completions;
 * a provider that serves several APIs picks by path (see {@link Dialects#of}).
 *
 * <pre>{@code
 * @Extension
 * public class EchoProvider implements Provider {
 *   public String id() { return "echo"; }
 *   public ProviderSession open(ProviderContext ctx) {
 *     return request -> Future.succeededFuture(ProviderResponse.of(200,
 *         Headers.of("content-type", "application/json"), request.body()));
 *   }
 * }
 * }</pre>
 */
public interface Provider extends ExtensionPoint {

  /** The id a proxy's {@code provider} field names, e.g. {@code openai}; lower case, unique. */
  String id();

  /** One line for people: what this provider talks to. */
  default String description() {
    return "";
  }

  /**
   * The base URL used when a proxy names no {@code upstream}; empty when the provider needs
   * none (it answers by itself).
   */
  default Optional<String> defaultUpstream() {
    return Optional.empty();
  }

  /**
   * The proxy {@code options} this provider reads, described as a fault strategy describes its
   * parameters, so the dashboard renders a form instead of a JSON box and the host refuses a
   * value of the wrong type, out of range or not among the choices (and a missing required one)
   * before {@link #open} runs. Names not listed here are left to {@link #open}, which keeps the
   * last word on every value. Default: none described (the options are checked by {@code open}
   * alone), as before this method existed.
   *
   * <pre>{@code
   * public List<FaultParam> options() {
   *   return List.of(FaultParam.integer("max_connections", "pooled upstream connections")
   *       .withDefault(256).withRange(1, 10_000));
   * }
   * }</pre>
   *
   * @since 0.2.0
   */
  default List<FaultParam> options() {
    return List.of();
  }

  /**
   * Prepares to serve one proxy. Called on the proxy's event loop when the proxy starts (and when
   * its settings change).
   *
   * @throws ProviderOptionException naming the setting at fault when the proxy's {@code options}
   *                                 or {@code upstream} cannot be used; the change is refused
   */
  ProviderSession open(ProviderContext context);

  /**
   * The request reduced to what determines the answer, for the cache key. The host sorts the
   * keys and canonicalises numbers and strings itself; a provider drops fields that do not
   * change the answer (such as {@code user} or {@code stream_options}). Default: the body as is.
   */
  default JsonObject normalize(ProxyRequest request) {
    return request.json() == null ? new JsonObject() : request.json().copy();
  }

  /**
   * The API {@code request} speaks, whose way of failing every fault and Faultline error imitates:
   * error bodies, rate-limit headers, stream errors and ends, the request-id header, usage fields.
   * Called with the request as far as it is known (the body may be missing for a request refused
   * before it was read). Default: OpenAI Chat Completions, whatever the path.
   *
   * @since 0.2.0
   */
  default Dialect dialect(ProxyRequest request) {
    return Dialects.OPENAI_CHAT;
  }

  /**
   * The response for {@code error} in the dialect of {@code request}. For Chat Completions it is
   * {@link #error(ApiError)}, so a provider that shapes its errors there keeps doing so; for any
   * other dialect the dialect writes it.
   *
   * @since 0.2.0
   */
  default ProviderResponse error(ProxyRequest request, ApiError error) {
    Dialect dialect = dialect(request);
    return dialect == Dialects.OPENAI_CHAT ? error(error) : dialect.errorResponse(error, request.id());
  }

  /**
   * Token usage of an answer to {@code request}, from its JSON body or one streamed event: for
   * Chat Completions {@link #usage(JsonObject)}, otherwise the dialect's own usage fields.
   *
   * @since 0.2.0
   */
  default Optional<Usage> usage(ProxyRequest request, JsonObject body) {
    Dialect dialect = dialect(request);
    return dialect == Dialects.OPENAI_CHAT ? usage(body) : dialect.usage(body);
  }

  /**
   * The response this provider would send for {@code error}: used for Faultline's own errors
   * (bad JSON, unreachable upstream, injected faults) so a caller's client parses them as it
   * parses this provider's. Default: OpenAI's shape.
   */
  default ProviderResponse error(ApiError error) {
    return OpenAiFormat.errorResponse(error);
  }

  /**
   * Token usage read from a complete JSON response body, or from the last streamed chunk that
   * carries it. Default: OpenAI's {@code usage} object.
   */
  default Optional<Usage> usage(JsonObject body) {
    return OpenAiFormat.usage(body);
  }

  /**
   * What a call to {@code model} that used {@code usage} cost, for a provider that prices its own
   * models (a self-hosted model, a negotiated rate, a model Faultline's price table lacks). Called
   * on an event loop once per finished call: answer from memory, never block. Empty (the default)
   * lets Faultline look the model up in its price table ({@code config/prices.yaml}); a model
   * found in neither is logged with an unknown price, never as free.
   */
  default Optional<Cost> cost(String model, Usage usage) {
    return Optional.empty();
  }
}
