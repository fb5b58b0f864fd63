package dev.faultline.plugins.openai;

import dev.faultline.plugin.api.Dialect;
import dev.faultline.plugin.api.Dialects;
import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.ProxyRequest;
import dev.faultline.plugin.api.Provider;
import dev.faultline.plugin.api.ProviderContext;
import dev.faultline.plugin.api.ProviderSession;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import org.pf4j.Extension;

/** OpenAI, or any API that speaks OpenAI's wire format (Azure OpenAI, vLLM, Ollama, LiteLLM…). */
@Extension
public class OpenAiProvider implements Provider {

  static final String DEFAULT_UPSTREAM = "https://api.openai.com";

  @Override
  public String id() {
    return "openai";
  }

  @Override
  public String description() {
    return "Forwards to OpenAI or any OpenAI-compatible base URL, headers and body untouched";
  }

  @Override
  public Optional<String> defaultUpstream() {
    return Optional.of(DEFAULT_UPSTREAM);
  }

  @Override
  public List<FaultParam> options() {
    return OpenAiOptions.DESCRIBED;
  }

  @Override
  public ProviderSession open(ProviderContext context) {
    return new OpenAiSession(context.vertx(), Upstream.parse(context.upstream()), OpenAiOptions.from(context.options()),
        context.guard());
  }

  /** {@code user} only labels the caller for OpenAI's abuse monitoring; it never changes the answer. */
  @Override
  public JsonObject normalize(ProxyRequest request) {
    JsonObject body = Provider.super.normalize(request);
    body.remove("user");
    return body;
  }

  /**
   * By path, as OpenAI's own APIs differ in how they fail: {@code /v1/responses} streams end with
   * {@code response.completed} and fail with {@code response.failed}, Chat Completions with
   * {@code [DONE]} and an error chunk. An OpenAI-compatible upstream that serves Anthropic's
   * {@code /v1/messages} or Gemini's compatible endpoint gets their dialects too.
   */
  @Override
  public Dialect dialect(ProxyRequest request) {
    return Dialects.of(request);
  }
}
