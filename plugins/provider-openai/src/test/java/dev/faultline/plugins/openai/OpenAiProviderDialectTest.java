package dev.faultline.plugins.openai;

import static org.junit.jupiter.api.Assertions.assertSame;

import dev.faultline.plugin.api.Dialects;
import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.ProxyRequest;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Each OpenAI API path names its own dialect, so faults on an openai proxy fail as that API fails. */
class OpenAiProviderDialectTest {

  private final OpenAiProvider provider = new OpenAiProvider();

  @Test
  void responsesSpeaksResponsesAndChatStaysChat() {
    assertSame(Dialects.OPENAI_RESPONSES, provider.dialect(request("/v1/responses", "gpt-4o-mini")));
    assertSame(Dialects.OPENAI_RESPONSES, provider.dialect(request("/v1/responses/resp_1?stream=true", null)));
    assertSame(Dialects.OPENAI_CHAT, provider.dialect(request("/v1/chat/completions", "gpt-4o-mini")));
    assertSame(Dialects.OPENAI_CHAT, provider.dialect(request("/v1/embeddings", "text-embedding-3-small")));
  }

  @Test
  void compatibleUpstreamsOfOtherApisGetTheirDialects() {
    assertSame(Dialects.ANTHROPIC_MESSAGES, provider.dialect(request("/v1/messages", "claude-sonnet-4-5")));
    assertSame(Dialects.GEMINI_OPENAI, provider.dialect(request("/v1/chat/completions", "gemini-2.5-flash")));
  }

  private static ProxyRequest request(String uri, String model) {
    JsonObject body = model == null ? null : new JsonObject().put("model", model);
    return new ProxyRequest("req_1", "POST", uri, Headers.empty(), body == null ? null : body.toBuffer(), body);
  }
}
