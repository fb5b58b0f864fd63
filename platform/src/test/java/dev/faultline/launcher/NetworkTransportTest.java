package dev.faultline.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** On the machines the native library is bundled for, a started Faultline runs on epoll, and so do the tests. */
@ExtendWith(VertxExtension.class)
class NetworkTransportTest {

  @BeforeEach
  void onLinuxX86_64() {
    assumeTrue(System.getProperty("os.name").equals("Linux")
        && System.getProperty("os.arch").matches("amd64|x86_64"), "epoll is bundled for Linux x86_64 only");
  }

  @Test
  void theLauncherPicksEpoll() {
    assertEquals("epoll", NetworkTransport.chosen().name(), "epoll unavailable: " + NetworkTransport.whyNotNative());
  }

  @Test
  void theTestsVertxRunsOnItToo(Vertx vertx) {
    assertTrue(vertx.isNativeTransportEnabled(), "the tests' Vert.x (vertx-options.json) is not on a native transport: "
        + vertx.unavailableNativeTransportCause());
  }
}
