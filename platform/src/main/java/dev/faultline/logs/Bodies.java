package dev.faultline.logs;

import io.vertx.core.buffer.Buffer;

/** Request and response bodies as a log row keeps them: the first bytes, as text. */
final class Bodies {

  private Bodies() {
  }

  /** At most {@code maxBytes} leading bytes of {@code body} as UTF-8 text, never cutting a character in two. */
  static String prefix(Buffer body, int maxBytes) {
    int end = Math.min(body.length(), maxBytes);
    if (end < body.length()) {
      // A byte 10xxxxxx continues a character: cut before the character it belongs to.
      while (end > 0 && (body.getByte(end) & 0xC0) == 0x80) {
        end--;
      }
    }
    return body.getString(0, end, "UTF-8");
  }
}
