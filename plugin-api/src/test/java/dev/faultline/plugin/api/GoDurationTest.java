package dev.faultline.plugin.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Durations written as OpenAI's rate-limit headers write them (Go's format). */
class GoDurationTest {

  @Test
  void formatsLikeGo() {
    assertEquals("0s", GoDuration.format(0));
    assertEquals("12ms", GoDuration.format(12));
    assertEquals("999ms", GoDuration.format(999));
    assertEquals("1s", GoDuration.format(1000));
    assertEquals("17.28s", GoDuration.format(17_280));
    assertEquals("8.5s", GoDuration.format(8_500));
    assertEquals("1m0s", GoDuration.format(60_000));
    assertEquals("6m0s", GoDuration.format(360_000));
    assertEquals("2m59.56s", GoDuration.format(179_560));
    assertEquals("1h0m0s", GoDuration.format(3_600_000));
    assertEquals("1h2m3.004s", GoDuration.format(3_723_004));
  }
}
