package dev.faultline.logs;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Counts tokens the way OpenAI bills them, for a stream that reported no usage: the prompt from
 * the request, the completion from the streamed text. Only OpenAI models, whose tokenizers are
 * public; for any other model there is no estimate. Tokenizing is CPU work on inputs of any size,
 * so it runs on worker threads only.
 */
final class TokenEstimator {

  /** OpenAI's chat format: each message costs 3 tokens besides its fields, the reply's priming 3. */
  private static final int PER_MESSAGE = 3;
  private static final int PER_NAME = 1;
  private static final int REPLY_PRIMING = 3;
  /** OpenAI's o-series reasoning models: o1, o3-mini, o4-mini... */
  private static final Pattern O_SERIES = Pattern.compile("o\\d.*");

  private final Vertx vertx;
  private volatile EncodingRegistry registry;

  TokenEstimator(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The tokenizer of an OpenAI model, if {@code model} is one. */
  static Optional<EncodingType> encodingFor(String model) {
    if (model == null) {
      return Optional.empty();
    }
    String name = model.startsWith("ft:") ? model.substring(3) : model;
    if (name.startsWith("gpt-4o") || name.startsWith("chatgpt-4o") || name.startsWith("gpt-4.1")
        || name.startsWith("gpt-4.5") || name.startsWith("gpt-5") || O_SERIES.matcher(name).matches()) {
      return Optional.of(EncodingType.O200K_BASE);
    }
    if (name.startsWith("gpt-4") || name.startsWith("gpt-3.5") || name.startsWith("text-embedding-")
        || name.startsWith("davinci-002") || name.startsWith("babbage-002")) {
      return Optional.of(EncodingType.CL100K_BASE);
    }
    return Optional.empty();
  }

  /** Tokens of {@code text}, counted on a worker. */
  Future<Long> count(EncodingType type, String text) {
    return vertx.executeBlocking(() -> (long) encoding(type).countTokensOrdinary(text), false);
  }

  /** Prompt tokens of an OpenAI request body (chat messages, a completion prompt or embedding input), on a worker. */
  Future<Long> promptTokens(EncodingType type, JsonObject request) {
    return vertx.executeBlocking(() -> promptTokens(encoding(type), request), false);
  }

  static long promptTokens(Encoding encoding, JsonObject request) {
    if (request == null) {
      return 0;
    }
    if (request.getValue("messages") instanceof JsonArray messages) {
      long tokens = REPLY_PRIMING;
      for (Object item : messages) {
        if (item instanceof JsonObject message) {
          tokens += PER_MESSAGE + text(encoding, message.getValue("role")) + content(encoding, message.getValue("content"));
          if (message.getValue("name") != null) {
            tokens += PER_NAME + text(encoding, message.getValue("name"));
          }
        }
      }
      return tokens;
    }
    Object prompt = request.containsKey("prompt") ? request.getValue("prompt") : request.getValue("input");
    return content(encoding, prompt);
  }

  /** A message's content: a string, or a list of parts of which the text ones count. */
  private static long content(Encoding encoding, Object content) {
    if (content instanceof JsonArray parts) {
      long tokens = 0;
      for (Object part : parts) {
        tokens += part instanceof JsonObject p ? text(encoding, p.getValue("text")) : text(encoding, part);
      }
      return tokens;
    }
    return text(encoding, content);
  }

  private static long text(Encoding encoding, Object value) {
    return value instanceof String s ? encoding.countTokensOrdinary(s) : 0;
  }

  private Encoding encoding(EncodingType type) {
    EncodingRegistry current = registry;
    if (current == null) {
      // Loading a vocabulary reads megabytes from the jar: done once, lazily, on a worker.
      synchronized (this) {
        if (registry == null) {
          registry = Encodings.newLazyEncodingRegistry();
        }
        current = registry;
      }
    }
    return current.getEncoding(type);
  }
}
