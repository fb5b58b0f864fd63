package dev.faultline.testing;

import static dev.faultline.FaultlineHarness.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.function.Consumer;

/** A client of the TCP event-bus bridge as another service would write one, for the tests. */
public final class TcpBridgeClient {

  private TcpBridgeClient() {
  }

  /**
   * Connects to the bridge at {@code host:port}; every frame it receives goes to {@code frames}.
   * The bridge's framing: a 4-byte big-endian length, then that many bytes of JSON.
   */
  public static NetSocket connect(Vertx vertx, String host, int port, Consumer<JsonObject> frames) {
    return await(vertx.createNetClient().connect(port, host).map(connected -> {
      RecordParser parser = RecordParser.newFixed(4);
      int[] length = {-1};
      parser.handler(bytes -> {
        if (length[0] < 0) {
          length[0] = bytes.getInt(0);
          parser.fixedSizeMode(length[0]);
        } else {
          frames.accept(bytes.toJsonObject());
          length[0] = -1;
          parser.fixedSizeMode(4);
        }
      });
      connected.handler(parser);
      return connected;
    }));
  }

  /** Sends one frame. */
  public static void send(NetSocket socket, JsonObject frame) {
    Buffer body = frame.toBuffer();
    socket.write(Buffer.buffer().appendInt(body.length()).appendBuffer(body));
  }
}
