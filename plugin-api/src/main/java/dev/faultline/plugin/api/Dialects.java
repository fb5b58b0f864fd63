package dev.faultline.plugin.api;

/**
 * The dialects Faultline ships, and the usual way to pick one by request path.
 *
 * @since 0.2.0
 */
public final class Dialects {

  /** OpenAI Chat Completions (also its completions, embeddings and models): Faultline's default. */
  public static final Dialect OPENAI_CHAT = new OpenAiDialect();
  /** OpenAI Responses, {@code /v1/responses}. */
  public static final Dialect OPENAI_RESPONSES = new ResponsesDialect();
  /** Anthropic Messages, {@code /v1/messages}. */
  public static final Dialect ANTHROPIC_MESSAGES = new AnthropicDialect();
  /** Google Gemini's OpenAI-compatible endpoint: Chat Completions with Google's error bodies. */
  public static final Dialect GEMINI_OPENAI = new GeminiDialect();

  private Dialects() {
  }

  /**
   * The dialect of a request by its path and model: {@code /v1/responses…} is OpenAI Responses,
   * {@code /v1/messages…} Anthropic Messages, a {@code gemini-…} model or a
   * {@code /v1beta/openai/…} path Gemini's compatible endpoint, anything else Chat Completions.
   */
  public static Dialect byPath(String path, String model) {
    if (path.startsWith("/v1/responses")) {
      return OPENAI_RESPONSES;
    }
    if (path.startsWith("/v1/messages")) {
      return ANTHROPIC_MESSAGES;
    }
    if (path.startsWith("/v1beta/openai/") || model != null && model.startsWith("gemini-")) {
      return GEMINI_OPENAI;
    }
    return OPENAI_CHAT;
  }

  /** {@link #byPath(String, String)} for a request. */
  public static Dialect of(ProxyRequest request) {
    return byPath(request.path(), request.model());
  }
}
