package dev.faultline.plugin.api;

/**
 * Durations as OpenAI writes them in {@code x-ratelimit-reset-*} headers and error messages, which
 * is Go's {@code time.Duration} format: {@code 12ms}, {@code 1s}, {@code 17.28s}, {@code 6m0s},
 * {@code 1h0m0s}.
 */
final class GoDuration {

  private GoDuration() {
  }

  static String format(long millis) {
    if (millis <= 0) {
      return "0s";
    }
    if (millis < 1000) {
      return millis + "ms";
    }
    long hours = millis / 3_600_000;
    long minutes = millis / 60_000 % 60;
    long secondMillis = millis % 60_000;
    StringBuilder text = new StringBuilder();
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      text.append(minutes).append('m');
    }
    text.append(secondMillis / 1000);
    long fraction = secondMillis % 1000;
    if (fraction > 0) {
      String digits = String.format("%03d", fraction);
      text.append('.').append(digits.replaceAll("0+$", ""));
    }
    return text.append('s').toString();
  }
}
