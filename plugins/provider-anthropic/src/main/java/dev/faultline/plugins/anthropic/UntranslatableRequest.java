package dev.faultline.plugins.anthropic;

/**
 * A chat completion request that Messages cannot express (several choices, audio, JSON mode…):
 * refused with a 400 naming the field rather than answered as if the field had been honoured.
 */
final class UntranslatableRequest extends RuntimeException {

  private final String param;

  UntranslatableRequest(String param, String message) {
    super(message, null, false, false);
    this.param = param;
  }

  /** The request field at fault, as OpenAI names a {@code param}: {@code messages[2].content[0].type}. */
  String param() {
    return param;
  }
}
