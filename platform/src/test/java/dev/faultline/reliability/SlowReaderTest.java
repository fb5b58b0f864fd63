package dev.faultline.reliability;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.logs.LogTesting;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller that stops reading a long stream: the proxy stops reading the upstream (back-pressure)
 * instead of holding the stream in memory, and a caller that then leaves ends the upstream call.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SlowReaderTest {

  private static final long STREAM_BYTES = 256L << 20;
  /** Kernel socket buffers on loopback grow to a few MiB each; three sockets sit between the two ends. */
  private static final long BUFFERED_AT_MOST = 48L << 20;

  @TempDir
  Path dir;

  @Test
  void aCallerThatStopsReadingStopsTheUpstreamNotTheHeap(Vertx vertx) throws Exception {
    AtomicLong written = new AtomicLong();
    AtomicBoolean upstreamClosed = new AtomicBoolean();
    Buffer event = Buffer.buffer("data: " + "x".repeat(16 * 1024) + "\n\n");
    HttpServer upstream = await(vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(b -> {
      HttpServerResponse response = request.response().setChunked(true).putHeader("content-type", "text/event-stream");
      response.closeHandler(v -> upstreamClosed.set(true));
      writeWhileAccepted(response, event, written);
    })).listen(0, "127.0.0.1"));
    Faultline faultline = await(Faultline.start(vertx, FaultlineHarness.config(dir)));
    try {
      int port = FaultlineHarness.freePort();
      await(FaultlineHarness.createProxy(FaultlineHarness.client(vertx), faultline, new JsonObject()
          .put("name", "long").put("provider", "openai").put("upstream", "http://127.0.0.1:" + upstream.actualPort())
          .put("port", port)));

      try (Socket caller = new Socket("127.0.0.1", port)) {
        String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        OutputStream out = caller.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Authorization: Bearer sk-test\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // The caller reads nothing: the upstream must come to a stop once the buffers between are full.
        long stalled = untilItStopsGrowing(written);
        assertTrue(stalled < BUFFERED_AT_MOST, "the upstream wrote " + (stalled >> 20)
            + " MiB to a caller that read nothing; the proxy buffered it instead of pausing the upstream");
        assertTrue(stalled < STREAM_BYTES, "the whole stream went through");
      }
      LogTesting.eventually("the upstream call to end once the caller left", upstreamClosed::get,
          () -> (written.get() >> 20) + " MiB written");
    } finally {
      await(faultline.stop());
      await(upstream.close());
    }
  }

  /** Writes the event over and over, waiting for drain whenever the connection says it is full. */
  private static void writeWhileAccepted(HttpServerResponse response, Buffer event, AtomicLong written) {
    while (written.get() < STREAM_BYTES && !response.writeQueueFull()) {
      response.write(event).onFailure(e -> { });
      written.addAndGet(event.length());
    }
    if (written.get() >= STREAM_BYTES) {
      response.end("data: [DONE]\n\n").onFailure(e -> { });
    } else {
      response.drainHandler(v -> writeWhileAccepted(response, event, written));
    }
  }

  /** The count once it has not moved for a second (it must settle within 30 s). */
  private static long untilItStopsGrowing(AtomicLong count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long last = -1;
    while (System.nanoTime() < deadline) {
      long now = count.get();
      if (now == last && now > 0) {
        return now;
      }
      last = now;
      Thread.sleep(1_000);
    }
    throw new AssertionError("the upstream never stopped writing: " + (count.get() >> 20) + " MiB so far");
  }
}
