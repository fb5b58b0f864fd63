package dev.faultline.plugins.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MockTextTest {

  /** Pieces in a generated text: each word, comma and full stop is one. */
  static int pieces(String text) {
    return text.trim().split("\\s+").length + text.replaceAll("[^,.]", "").length();
  }

  @Test
  void hasExactlyTheRequestedPiecesAndReadsAsSentences() {
    for (int length = 1; length <= 60; length++) {
      for (long seed = 0; seed < 40; seed++) {
        MockText.Generated text = MockText.generate(seed * 7919 + length, length, null);
        String what = "seed " + seed + ", length " + length + ": " + text.pieces();
        assertEquals(length, text.tokens(), what);
        assertEquals(length, pieces(text.text()), "pieces are recoverable from the text, " + what);
        assertEquals("stop", text.finishReason(), what);
        assertFalse(text.text().startsWith(" "), what);
        assertFalse(text.text().contains(",.") || text.text().contains(",,") || text.text().contains(".."), what);
        assertTrue(Character.isUpperCase(text.text().charAt(0)), what);
        if (length > 1) {
          assertTrue(text.text().endsWith(".") && !text.text().endsWith(" ."), what);
        }
      }
    }
  }

  @Test
  void isDeterministicPerSeed() {
    assertEquals(MockText.generate(42, null, null), MockText.generate(42, null, null));
    assertNotEquals(MockText.generate(42, null, null).text(), MockText.generate(43, null, null).text());
  }

  @Test
  void aCapCutsThePiecesAndSaysLength() {
    MockText.Generated full = MockText.generate(7, 30, null);
    MockText.Generated cut = MockText.generate(7, 30, 10);
    assertEquals(full.pieces().subList(0, 10), cut.pieces());
    assertEquals("length", cut.finishReason());
    assertEquals("stop", MockText.generate(7, 30, 30).finishReason(), "a cap equal to the length does not cut");
  }
}
