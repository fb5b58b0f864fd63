package dev.faultline.plugin.api;

/**
 * Token counts of one call, as the provider reported them.
 *
 * @param promptTokens       input tokens
 * @param completionTokens   output tokens
 * @param totalTokens        input plus output
 * @param cachedPromptTokens input tokens the provider served from its own prompt cache (0 when
 *                           it does not say)
 */
public record Usage(long promptTokens, long completionTokens, long totalTokens, long cachedPromptTokens) {
}
