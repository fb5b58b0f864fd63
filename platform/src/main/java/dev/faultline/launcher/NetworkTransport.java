package dev.faultline.launcher;

import io.vertx.core.transport.Transport;

/**
 * The transport every socket of a started Faultline runs on: Linux's epoll through Netty's native
 * library where it loads (bundled for Linux x86_64), else Java's NIO. On a proxied request epoll
 * took about a tenth less of the event loops' CPU than NIO (bench/README); the answers are the same.
 * {@code -Dio.netty.transport.noNative=true} in {@code JAVA_OPTS} keeps NIO.
 */
final class NetworkTransport {

  private NetworkTransport() {
  }

  static Transport chosen() {
    Transport epoll = Transport.EPOLL;
    return epoll != null && epoll.available() ? epoll : Transport.NIO;
  }

  /** Why epoll is not used, for the start's log; null when it is. */
  static String whyNotNative() {
    Transport epoll = Transport.EPOLL;
    if (epoll == null) {
      return "Netty's epoll classes are not on the class path";
    }
    Throwable cause = epoll.unavailabilityCause();
    return cause == null ? null : String.valueOf(cause.getMessage());
  }
}
