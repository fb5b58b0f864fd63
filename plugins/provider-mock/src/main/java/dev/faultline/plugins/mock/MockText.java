package dev.faultline.plugins.mock;

import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic prose: plain sentences whose words a seeded generator picks from a fixed
 * vocabulary. Each piece (a word with its leading space, a comma, a full stop) counts as one
 * token, so a stream sends one piece per chunk and the usage counts the pieces.
 */
final class MockText {

  /** What one choice says, and why it stopped. */
  record Generated(List<String> pieces, String finishReason) {

    String text() {
      return String.join("", pieces);
    }

    int tokens() {
      return pieces.size();
    }
  }

  private static final String[] WORDS = {
      "the", "a", "model", "answer", "request", "token", "stream", "proxy", "signal", "quiet",
      "river", "stone", "light", "window", "garden", "system", "simple", "careful", "bright",
      "steady", "value", "reason", "pattern", "question", "moment", "paper", "north", "water",
      "little", "early", "late", "clear", "open", "small", "large", "warm", "cold", "green",
      "blue", "yellow", "morning", "evening", "road", "bridge", "forest", "mountain", "city",
      "voice", "story", "idea", "result", "method", "cache", "latency", "budget", "metric",
      "is", "was", "seems", "becomes", "holds", "brings", "finds", "keeps", "shows", "leaves",
      "makes", "takes", "gives", "follows", "reaches", "remains", "turns", "carries", "builds",
      "and", "but", "so", "then", "while", "because", "with", "without", "over", "under",
      "near", "through", "after", "before", "every", "some", "each", "another", "this", "that",
  };

  /** Answers run from this many pieces… */
  static final int MIN_NATURAL = 16;
  /** …to this many, when no fixed length is configured. */
  static final int MAX_NATURAL = 48;

  private MockText() {
  }

  /**
   * @param length    pieces a complete answer has, or {@code null} to pick one from the seed
   * @param maxTokens the caller's cap, or {@code null}; a cut answer finishes with "length"
   */
  static Generated generate(long seed, Integer length, Integer maxTokens) {
    SplitMix rng = new SplitMix(seed);
    int natural = length != null ? length : MIN_NATURAL + rng.nextInt(MAX_NATURAL - MIN_NATURAL + 1);
    List<String> pieces = compose(rng, natural);
    if (maxTokens != null && maxTokens < pieces.size()) {
      return new Generated(List.copyOf(pieces.subList(0, maxTokens)), "length");
    }
    return new Generated(List.copyOf(pieces), "stop");
  }

  /**
   * Exactly {@code target} pieces, ending with a full stop (unless the target is one piece), and
   * never a stray stop after a comma or a one-piece sentence at the end.
   */
  private static List<String> compose(SplitMix rng, int target) {
    List<String> pieces = new ArrayList<>(target);
    int words = 0;
    int sentenceLength = 0;
    while (pieces.size() < target) {
      int remaining = target - pieces.size();
      boolean afterComma = !pieces.isEmpty() && ",".equals(pieces.get(pieces.size() - 1));
      if (words == 0) {
        sentenceLength = 4 + rng.nextInt(9);
        pieces.add((pieces.isEmpty() ? "" : " ") + capitalize(word(rng)));
        words = 1;
      } else if (remaining == 1 || (words >= sentenceLength && remaining != 2 && !afterComma)) {
        pieces.add(".");
        words = 0;
      } else if (remaining >= 3 && words >= 2 && !afterComma && rng.nextInt(8) == 0) {
        pieces.add(",");
      } else {
        pieces.add(" " + word(rng));
        words++;
      }
    }
    return pieces;
  }

  private static String word(SplitMix rng) {
    return WORDS[rng.nextInt(WORDS.length)];
  }

  private static String capitalize(String word) {
    return Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }
}
