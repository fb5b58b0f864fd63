package dev.faultline.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a command printed, checked part by part, the whole text shown when a part is missing. */
final class Says {

  private Says() {
  }

  static void says(String text, String... parts) {
    for (String part : parts) {
      assertTrue(text.contains(part), () -> "expected \"" + part + "\" in:\n" + text);
    }
  }

  static void lacks(String text, String... parts) {
    for (String part : parts) {
      assertTrue(!text.contains(part), () -> "did not expect \"" + part + "\" in:\n" + text);
    }
  }
}
