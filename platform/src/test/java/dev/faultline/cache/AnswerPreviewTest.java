package dev.faultline.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class AnswerPreviewTest {

  @Test
  void aStreamedAnswersDeltasAreJoined() {
    String sse = "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
        + "data: {\"choices\":[{\"delta\":{\"content\":\"Hello\"}}]}\n\n"
        + "data: {\"choices\":[{\"delta\":{\"content\":\", \\\"world\\\"\\n!\"}}]}\n\n";
    assertEquals("Hello, \"world\" !", AnswerPreview.of(sse));
  }

  @Test
  void aLongAnswerIsCutAndOneWithoutTextHasNone() {
    String longText = "word ".repeat(100);
    String preview = AnswerPreview.of("{\"choices\":[{\"message\":{\"content\":\"" + longText + "\"}}]}");
    assertEquals(AnswerPreview.CHARS + 1, preview.length(), preview);
    assertNull(AnswerPreview.of("{\"data\":[{\"embedding\":[0.1,0.2]}]}"));
    assertNull(AnswerPreview.of(null));
    // Cut in the middle of a string by the scanned prefix: nothing half-read.
    assertNull(AnswerPreview.of("{\"choices\":[{\"message\":{\"content\":\"unterminated"));
  }
}
