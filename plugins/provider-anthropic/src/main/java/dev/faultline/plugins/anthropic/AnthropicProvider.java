package dev.faultline.plugins.anthropic;

import dev.faultline.plugin.api.Dialect;
import dev.faultline.plugin.api.Dialects;
import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.OpenAiFormat;
import dev.faultline.plugin.api.Provider;
import dev.faultline.plugin.api.ProviderContext;
import dev.faultline.plugin.api.ProviderSession;
import dev.faultline.plugin.api.ProxyRequest;
import dev.faultline.plugin.api.Usage;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * Anthropic's Messages API, two ways. <b>Native</b>: an Anthropic SDK pointed at the proxy has
 * every request ({@code /v1/messages}, {@code /v1/messages/count_tokens}, {@code /v1/models}…)
 * relayed untouched, {@code x-api-key} and {@code anthropic-*} headers included, and every answer
 * and stream relayed as it arrives. <b>Translated</b>: an OpenAI SDK's
 * {@code POST /v1/chat/completions} is turned into a Messages request and the answer (or stream,
 * or error) back into OpenAI's shape, unless the proxy's {@code chat_completions} option is
 * {@code forward}.
 *
 * <p>Faultline's own errors and injected faults keep the host's default (OpenAI's) shape for now;
 * once providers declare a dialect per request path, {@code /v1/messages} declares Anthropic's.
 */
@Extension
public class AnthropicProvider implements Provider {

  static final String DEFAULT_UPSTREAM = "https://api.anthropic.com";

  @Override
  public String id() {
    return "anthropic";
  }

  @Override
  public String description() {
    return "Forwards to Anthropic's Messages API, and translates OpenAI chat completions to it and back";
  }

  @Override
  public Optional<String> defaultUpstream() {
    return Optional.of(DEFAULT_UPSTREAM);
  }

  @Override
  public List<FaultParam> options() {
    return AnthropicOptions.DESCRIBED;
  }

  @Override
  public ProviderSession open(ProviderContext context) {
    return new AnthropicSession(context.vertx(), Upstream.parse(context.upstream()),
        AnthropicOptions.from(context.options()), context.guard());
  }

  /**
   * The body without what labels the caller and never changes the answer ({@code metadata} of a
   * message, {@code user} of a chat completion), plus the beta features asked for in
   * {@code anthropic-beta}, which do change it. The API key is a header, never part of this.
   */
  @Override
  public JsonObject normalize(ProxyRequest request) {
    JsonObject body = Provider.super.normalize(request);
    body.remove("metadata");
    body.remove("user");
    request.headers().get("anthropic-beta").ifPresent(beta -> body.put("anthropic-beta (header)", beta));
    return body;
  }

  /**
   * The API a request speaks, for Faultline's own errors and injected faults: Anthropic's Messages
   * on the native paths, Chat Completions for an OpenAI SDK's chat completion (translated or
   * forwarded to Anthropic's OpenAI-compatible endpoint).
   */
  @Override
  public Dialect dialect(ProxyRequest request) {
    return request.path().startsWith("/v1/chat/completions") ? Dialects.OPENAI_CHAT : Dialects.ANTHROPIC_MESSAGES;
  }

  /**
   * Usage of a native answer (Anthropic's {@code input_tokens}, {@code output_tokens} and cache
   * counts, in a message, a {@code message_start} or a {@code message_delta}) or of a translated
   * one (OpenAI's {@code usage}).
   */
  @Override
  public Optional<Usage> usage(JsonObject body) {
    if (body != null && body.getValue("usage") instanceof JsonObject usage && usage.containsKey("prompt_tokens")) {
      return OpenAiFormat.usage(body);
    }
    return AnthropicUsage.of(body);
  }
}
