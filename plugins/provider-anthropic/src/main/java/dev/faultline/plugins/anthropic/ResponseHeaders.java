package dev.faultline.plugins.anthropic;

import dev.faultline.plugin.api.Headers;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The headers of an Anthropic answer that a translated (OpenAI-shaped) answer keeps: the retry
 * advice an OpenAI SDK obeys, the request id under OpenAI's name as well, and the rate limits
 * under OpenAI's names too, with Anthropic's RFC 3339 reset instants as OpenAI's durations.
 */
final class ResponseHeaders {

  private static final String[] KEPT = {"retry-after", "retry-after-ms", "x-should-retry", "request-id"};
  private static final String[] LIMITS = {"requests", "tokens"};

  private ResponseHeaders() {
  }

  static Headers forOpenAi(Headers anthropic, String contentType, Instant now) {
    Headers.Builder headers = Headers.builder().add("content-type", contentType);
    for (String name : KEPT) {
      anthropic.get(name).ifPresent(value -> headers.add(name, value));
    }
    anthropic.get("request-id").ifPresent(id -> headers.add("x-request-id", id));
    anthropic.forEach((name, value) -> {
      if (name.toLowerCase().startsWith("anthropic-ratelimit-")) {
        headers.add(name, value);
      }
    });
    for (String limit : LIMITS) {
      String prefix = "anthropic-ratelimit-" + limit + "-";
      anthropic.get(prefix + "limit").ifPresent(v -> headers.add("x-ratelimit-limit-" + limit, v));
      anthropic.get(prefix + "remaining").ifPresent(v -> headers.add("x-ratelimit-remaining-" + limit, v));
      anthropic.get(prefix + "reset").map(v -> untilReset(v, now))
          .ifPresent(v -> headers.add("x-ratelimit-reset-" + limit, v));
    }
    return headers.build();
  }

  /** {@code 2025-08-20T10:00:30Z} seen at 10:00:00 as OpenAI writes it: {@code 30s}; null when unreadable. */
  static String untilReset(String instant, Instant now) {
    Duration wait;
    try {
      wait = Duration.between(now, Instant.parse(instant));
    } catch (DateTimeParseException e) {
      return null;
    }
    if (wait.isNegative()) {
      wait = Duration.ZERO;
    }
    if (wait.toSeconds() == 0) {
      return wait.toMillis() + "ms";
    }
    long hours = wait.toHours();
    long minutes = wait.toMinutesPart();
    long seconds = wait.toSecondsPart();
    return hours > 0 ? hours + "h" + minutes + "m" + seconds + "s" : minutes > 0 ? minutes + "m" + seconds + "s"
        : seconds + "s";
  }
}
