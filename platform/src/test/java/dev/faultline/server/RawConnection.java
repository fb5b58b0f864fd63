package dev.faultline.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A plain TCP connection to a loopback port, for sending half a request and seeing what the server does. */
final class RawConnection implements AutoCloseable {

  private final Socket socket;

  RawConnection(int port) {
    try {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  RawConnection send(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the server sent until it closed the connection; fails if it is still open after {@code waitMillis}. */
  String readUntilClosed(long waitMillis) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    try {
      socket.setSoTimeout((int) waitMillis);
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      long deadline = System.nanoTime() + waitMillis * 1_000_000;
      int n;
      while ((n = in.read(buffer)) >= 0) {
        got.write(buffer, 0, n);
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the server kept the connection open for over " + waitMillis + " ms; got: "
              + got.toString(StandardCharsets.UTF_8));
        }
      }
      return got.toString(StandardCharsets.UTF_8);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server kept the connection open for over " + waitMillis + " ms; got: "
          + got.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // A reset is a close too.
      return got.toString(StandardCharsets.UTF_8);
    }
  }

  /** Reads one whole response (chunked or with a content-length); the connection stays open. */
  String readResponse(long waitMillis) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    try {
      socket.setSoTimeout((int) waitMillis);
      InputStream in = socket.getInputStream();
      while (true) {
        int b = in.read();
        if (b < 0) {
          throw new AssertionError("closed before a whole response; got: " + got.toString(StandardCharsets.UTF_8));
        }
        got.write(b);
        String text = got.toString(StandardCharsets.UTF_8);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
          continue;
        }
        String head = text.substring(0, headEnd).toLowerCase();
        if (head.contains("transfer-encoding: chunked")) {
          if (text.endsWith("\r\n0\r\n\r\n")) {
            return text;
          }
        } else {
          int at = head.indexOf("content-length:");
          int lineEnd = head.indexOf("\r\n", at);
          int length = Integer.parseInt(head.substring(at + 15, lineEnd < 0 ? head.length() : lineEnd).trim());
          return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
      }
    } catch (IOException e) {
      throw new AssertionError("no whole response within " + waitMillis + " ms: " + e + "; got: "
          + got.toString(StandardCharsets.UTF_8));
    }
  }

  /** The body of a response read whole, de-chunked when it was chunked. */
  static String body(String response) {
    int headEnd = response.indexOf("\r\n\r\n");
    String head = response.substring(0, headEnd).toLowerCase();
    String rest = response.substring(headEnd + 4);
    if (!head.contains("transfer-encoding: chunked")) {
      return rest;
    }
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = rest.indexOf("\r\n", at);
      int size = Integer.parseInt(rest.substring(at, lineEnd).trim(), 16);
      if (size == 0) {
        return body.toString();
      }
      body.append(rest, lineEnd + 2, lineEnd + 2 + size);
      at = lineEnd + 2 + size + 2;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
