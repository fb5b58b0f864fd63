package dev.faultline.metrics;

import dev.faultline.api.Responses;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time grid of a series: a window ending with the step that holds {@code now}, cut into steps
 * aligned on multiples of the step since the epoch, so two calls a moment apart share their steps
 * and a chart can merge them.
 *
 * @param label the window as asked, e.g. {@code 1h}
 * @param from  start of the first step, epoch ms (inclusive)
 * @param to    end of the last step, epoch ms (exclusive; after {@code now})
 */
record SeriesRange(String label, long stepMillis, long from, long to) {

  /** Points a chart needs at most; more would only cost the database and the browser. */
  static final int MAX_POINTS = 2000;

  /** The windows offered and the step each gets when the caller names none (60 to 150 points). */
  private static final Map<String, Long[]> WINDOWS = new LinkedHashMap<>();

  static {
    WINDOWS.put("5m", new Long[] {300_000L, 5_000L});
    WINDOWS.put("15m", new Long[] {900_000L, 10_000L});
    WINDOWS.put("1h", new Long[] {3_600_000L, 30_000L});
    WINDOWS.put("6h", new Long[] {21_600_000L, 180_000L});
    WINDOWS.put("24h", new Long[] {86_400_000L, 600_000L});
  }

  private static final Pattern STEP = Pattern.compile("(\\d{1,7})(s|m|h)?");

  /**
   * @param window {@code 5m}, {@code 15m}, {@code 1h}, {@code 6h} or {@code 24h}; null for {@code 1h}
   * @param step   seconds ({@code 10}) or with a unit ({@code 10s}, {@code 5m}, {@code 1h}); null for the window's default
   * @throws Responses.BadRequest naming the parameter
   */
  static SeriesRange parse(String window, String step, long now) {
    String label = window == null ? "1h" : window.toLowerCase(Locale.ROOT);
    Long[] spec = WINDOWS.get(label);
    if (spec == null) {
      throw new Responses.BadRequest("window", "window: must be one of " + String.join(", ", WINDOWS.keySet())
          + ", got \"" + window + "\"");
    }
    long windowMillis = spec[0];
    long stepMillis = step == null ? spec[1] : stepMillis(step, windowMillis);
    long points = (windowMillis + stepMillis - 1) / stepMillis;
    if (points > MAX_POINTS) {
      throw new Responses.BadRequest("step", "step: " + step + " over " + label + " gives " + points
          + " points; at most " + MAX_POINTS + " (a step of at least " + minStepSeconds(windowMillis) + "s)");
    }
    long to = (Math.floorDiv(now, stepMillis) + 1) * stepMillis;
    return new SeriesRange(label, stepMillis, to - points * stepMillis, to);
  }

  private static long stepMillis(String raw, long windowMillis) {
    Matcher matcher = STEP.matcher(raw.toLowerCase(Locale.ROOT));
    if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
      throw new Responses.BadRequest("step", "step: must be a whole number of seconds (10) or a duration such as "
          + "10s, 5m or 1h, more than 0; got \"" + raw + "\"");
    }
    long unit = switch (matcher.group(2) == null ? "s" : matcher.group(2)) {
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      default -> 1_000L;
    };
    long millis = Long.parseLong(matcher.group(1)) * unit;
    if (millis > windowMillis) {
      throw new Responses.BadRequest("step", "step: " + raw + " is longer than the window (" + windowMillis / 1000
          + "s)");
    }
    return millis;
  }

  private static long minStepSeconds(long windowMillis) {
    return (windowMillis / MAX_POINTS + 999) / 1000;
  }

  int points() {
    return (int) ((to - from) / stepMillis);
  }

  /** Which step {@code ts} falls in; only for {@code from <= ts < to}. */
  int index(long ts) {
    return (int) ((ts - from) / stepMillis);
  }

  long stepStart(int index) {
    return from + index * stepMillis;
  }
}
