package dev.faultline.plugins.mock;

import dev.faultline.plugin.api.Dialect;
import dev.faultline.plugin.api.Dialects;
import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.Provider;
import dev.faultline.plugin.api.ProviderContext;
import dev.faultline.plugin.api.ProviderSession;
import dev.faultline.plugin.api.ProxyRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.pf4j.Extension;

/**
 * An OpenAI look-alike that answers by itself: deterministic chat and legacy completions
 * (whole or streamed, optionally paced), embeddings and the model list, with no network and
 * no key. For tests, demos and load tests of everything in front of a provider.
 *
 * <p>Options: {@code tokens_per_second} (0 = no delay), {@code completion_tokens} (fixed answer
 * length; by default it varies per request), {@code embedding_dimensions} (default 1536).
 */
@Extension
public class MockProvider implements Provider {

  @Override
  public String id() {
    return "mock";
  }

  @Override
  public String description() {
    return "Offline OpenAI and Anthropic emulation: deterministic chat completions, responses, messages, streams, "
        + "embeddings and models";
  }

  @Override
  public List<FaultParam> options() {
    return MockOptions.DESCRIBED;
  }

  /** @throws dev.faultline.plugin.api.ProviderOptionException when an option is unknown or has a bad value */
  @Override
  public ProviderSession open(ProviderContext context) {
    return new MockSession(context.vertx(), MockOptions.from(context.options()));
  }

  /** Each path in its own API's dialect: Chat Completions, Responses, Anthropic Messages, Gemini by model. */
  @Override
  public Dialect dialect(ProxyRequest request) {
    return Dialects.of(request);
  }

  /** Drops what the host's contract names as not changing an answer, as a real provider's cache key would. */
  @Override
  public JsonObject normalize(ProxyRequest request) {
    JsonObject body = Provider.super.normalize(request);
    body.remove("user");
    body.remove("stream_options");
    return body;
  }
}
