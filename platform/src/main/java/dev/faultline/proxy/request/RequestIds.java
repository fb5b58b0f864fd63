package dev.faultline.proxy.request;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids shaped like OpenAI's ({@code req_} and 32 hex digits). */
final class RequestIds {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {
  }

  static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] id = new char[36];
    id[0] = 'r';
    id[1] = 'e';
    id[2] = 'q';
    id[3] = '_';
    for (int i = 4; i < id.length; i += 16) {
      long bits = random.nextLong();
      for (int j = 0; j < 16; j++) {
        id[i + j] = HEX[(int) (bits >>> (j * 4)) & 0xf];
      }
    }
    return new String(id);
  }
}
