package dev.faultline.faults;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.faults.FaultTests.fault;
import static dev.faultline.faults.FaultTests.faults;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mockserver.configuration.Configuration;
import org.mockserver.integration.ClientAndServer;
import org.slf4j.event.Level;

/**
 * The {@code openai} provider names the dialect by path: faults on {@code /v1/responses} through
 * an openai proxy speak Responses (a {@code response.failed} event numbered after what the
 * upstream sent), while Chat Completions on the same proxy keeps OpenAI's error chunk.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenAiProviderDialectsTest {

  private static final String RESPONSES_STREAM = """
      event: response.created
      data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_up","object":"response","status":"in_progress","output":[]}}

      event: response.in_progress
      data: {"type":"response.in_progress","sequence_number":1,"response":{"id":"resp_up","object":"response","status":"in_progress","output":[]}}

      event: response.output_text.delta
      data: {"type":"response.output_text.delta","sequence_number":2,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hi"}

      event: response.completed
      data: {"type":"response.completed","sequence_number":3,"response":{"id":"resp_up","object":"response","status":"completed","output":[],"usage":{"input_tokens":3,"output_tokens":1,"total_tokens":4}}}

      """;
  private static final String CHAT_STREAM = """
      data: {"id":"chatcmpl-up","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"}}]}

      data: {"id":"chatcmpl-up","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

      data: [DONE]

      """;

  @TempDir
  Path dataDir;

  @Test
  void aStreamErrorOnResponsesIsResponseFailedAndOnChatAnErrorChunk(Vertx vertx) {
    ClientAndServer upstream = ClientAndServer.startClientAndServer(
        Configuration.configuration().logLevel(Level.WARN).disableSystemOut(true), 0);
    Faultline faultline = await(FaultlineHarness.start(vertx, dataDir));
    try {
      upstream.when(request().withPath("/v1/responses")).respond(response().withStatusCode(200)
          .withHeader("content-type", "text/event-stream").withBody(RESPONSES_STREAM));
      upstream.when(request().withPath("/v1/chat/completions")).respond(response().withStatusCode(200)
          .withHeader("content-type", "text/event-stream").withBody(CHAT_STREAM));
      WebClient client = FaultlineHarness.client(vertx);
      int port = await(FaultlineHarness.createProxy(client, faultline, new JsonObject()
          .put("name", "openai-dialects").put("provider", "openai").put("upstream", "http://127.0.0.1:" + upstream.getPort())
          .put("faults", faults(fault("stream-error", 1, new JsonObject().put("after_events", 2)))))).getInteger("port");

      String responses = post(client, port, "/v1/responses",
          "{\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"stream\":true}").bodyAsString();
      String chat = post(client, port, "/v1/chat/completions",
          "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").bodyAsString();

      String[] events = responses.split("\n\n");
      assertEquals(3, events.length, responses);
      assertTrue(events[2].startsWith("event: response.failed\ndata: "), responses);
      JsonObject failed = new JsonObject(events[2].substring(events[2].indexOf("data: ") + 6));
      assertEquals(2, failed.getInteger("sequence_number"), "numbered after the two events sent");
      assertEquals("resp_up", failed.getJsonObject("response").getString("id"), "the upstream's own response");
      assertEquals("failed", failed.getJsonObject("response").getString("status"));
      assertEquals("server_error", failed.getJsonObject("response").getJsonObject("error").getString("code"));
      assertFalse(responses.contains("response.completed"), responses);

      assertTrue(chat.contains("data: {\"error\":{"), chat);
      assertFalse(chat.contains("response.failed") || chat.contains("[DONE]"), chat);
    } finally {
      await(faultline.stop());
      upstream.stop();
    }
  }

  private static HttpResponse<Buffer> post(WebClient client, int port, String path, String body) {
    return await(client.post(port, "127.0.0.1", path).putHeader("content-type", "application/json")
        .putHeader("authorization", "Bearer sk-test").sendBuffer(Buffer.buffer(body)));
  }
}
