package dev.faultline.plugins.mock;

import dev.faultline.plugin.api.FaultParam;
import dev.faultline.plugin.api.ProviderOptionException;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.List;

/**
 * A proxy's {@code options} for the mock. A wrong value fails the proxy's start rather than
 * falling back to a default: a typo in a load test's pacing should not pass unnoticed.
 *
 * @param tokensPerSecond     generation pace; 0 answers at once
 * @param completionTokens    pieces in a complete answer, or {@code null} to vary it per request
 * @param embeddingDimensions vector size when a request names no {@code dimensions}
 */
record MockOptions(double tokensPerSecond, Integer completionTokens, int embeddingDimensions) {

  static final String TOKENS_PER_SECOND = "tokens_per_second";
  static final String COMPLETION_TOKENS = "completion_tokens";
  static final String EMBEDDING_DIMENSIONS = "embedding_dimensions";
  static final List<String> NAMES = List.of(TOKENS_PER_SECOND, COMPLETION_TOKENS, EMBEDDING_DIMENSIONS);

  static final int DEFAULT_EMBEDDING_DIMENSIONS = 1536;
  /** Bounds what one request can make the mock allocate; OpenAI's largest model has 3072. */
  static final int MAX_EMBEDDING_DIMENSIONS = 8192;
  static final int MAX_COMPLETION_TOKENS = 100_000;
  /** One token per 100 s is slow enough for any timeout test, and keeps due times far from overflow. */
  static final double MIN_PACE = 0.01;
  static final double MAX_PACE = 1_000_000;

  /**
   * What {@link #from} reads, for the dashboard's form and the host's first check; the pace's gap
   * between 0 and {@link #MIN_PACE} is checked here only.
   */
  static final List<FaultParam> DESCRIBED = List.of(
      FaultParam.number(TOKENS_PER_SECOND, "generation pace in tokens per second; 0 answers at once")
          .withDefault(0).withRange(0, MAX_PACE),
      FaultParam.integer(COMPLETION_TOKENS, "pieces in a complete answer; by default it varies per request")
          .withRange(1, MAX_COMPLETION_TOKENS),
      FaultParam.integer(EMBEDDING_DIMENSIONS, "vector size when an embeddings request names no dimensions")
          .withDefault(DEFAULT_EMBEDDING_DIMENSIONS).withRange(1, MAX_EMBEDDING_DIMENSIONS));

  static MockOptions defaults() {
    return new MockOptions(0, null, DEFAULT_EMBEDDING_DIMENSIONS);
  }

  /** @throws ProviderOptionException naming the option at fault */
  static MockOptions from(JsonObject options) {
    if (options == null) {
      return defaults();
    }
    for (String name : options.fieldNames()) {
      if (!NAMES.contains(name)) {
        throw new ProviderOptionException("options", "unknown option '" + name + "' for provider mock; supported: "
            + String.join(", ", NAMES));
      }
    }
    Object pace = options.getValue(TOKENS_PER_SECOND);
    if (pace != null && !validPace(pace)) {
      throw ProviderOptionException.option(TOKENS_PER_SECOND, "must be 0 (no delay) or a number from "
          + MIN_PACE + " to " + MAX_PACE + ", got " + describe(pace));
    }
    Integer length = integer(options, COMPLETION_TOKENS, 1, MAX_COMPLETION_TOKENS);
    Integer dimensions = integer(options, EMBEDDING_DIMENSIONS, 1, MAX_EMBEDDING_DIMENSIONS);
    return new MockOptions(pace == null ? 0 : ((Number) pace).doubleValue(), length,
        dimensions == null ? DEFAULT_EMBEDDING_DIMENSIONS : dimensions);
  }

  private static boolean validPace(Object value) {
    if (!(value instanceof Number number)) {
      return false;
    }
    double pace = number.doubleValue();
    return pace == 0 || (pace >= MIN_PACE && pace <= MAX_PACE);
  }

  private static Integer integer(JsonObject options, String name, int min, int max) {
    Object value = options.getValue(name);
    if (value == null) {
      return null;
    }
    boolean inRange = Fields.isInteger(value) && !(value instanceof BigInteger)
        && ((Number) value).longValue() >= min && ((Number) value).longValue() <= max;
    if (!inRange) {
      throw ProviderOptionException.option(name, "must be an integer from " + min + " to " + max
          + ", got " + describe(value));
    }
    return ((Number) value).intValue();
  }

  private static String describe(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }
}
