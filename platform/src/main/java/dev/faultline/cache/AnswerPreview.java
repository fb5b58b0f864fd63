package dev.faultline.cache;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first words of a cached answer, for the cache's list: the text of a chat completion, or the
 * deltas of a streamed one joined. The cache keeps no prompt — an entry names its request only by
 * digest — so the answer is what tells entries apart at a glance.
 */
final class AnswerPreview {

  static final int CHARS = 120;
  /** The body bytes looked at: enough for the first words of any answer shape. */
  static final int SCANNED_BYTES = 4096;
  /** A JSON string member holding generated text: chat ({@code content}), completions and Responses ({@code text}). */
  private static final Pattern TEXT = Pattern.compile("\"(?:content|text|delta)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private AnswerPreview() {
  }

  /** The preview of a body that starts with {@code prefix}; null when it holds no text (embeddings, errors). */
  static String of(String prefix) {
    if (prefix == null) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    Matcher matcher = TEXT.matcher(prefix);
    while (text.length() < CHARS && matcher.find()) {
      text.append(unescape(matcher.group(1)));
    }
    if (text.isEmpty()) {
      return null;
    }
    String preview = text.toString().strip().replaceAll("\\s+", " ");
    return preview.length() <= CHARS ? preview : preview.substring(0, CHARS) + "…";
  }

  private static String unescape(String json) {
    try {
      return new JsonArray("[\"" + json + "\"]").getString(0);
    } catch (DecodeException e) {
      return "";
    }
  }
}
