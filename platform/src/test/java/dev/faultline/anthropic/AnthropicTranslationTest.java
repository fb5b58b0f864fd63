package dev.faultline.anthropic;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.anthropic.AnthropicUpstream.MODEL;
import static dev.faultline.anthropic.AnthropicUpstream.error;
import static dev.faultline.anthropic.AnthropicUpstream.message;
import static dev.faultline.anthropic.AnthropicUpstream.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.logs.LogTesting;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.mockserver.configuration.Configuration;
import org.mockserver.integration.ClientAndServer;
import org.slf4j.event.Level;

/**
 * The {@code anthropic} provider translating OpenAI chat completions: a whole Faultline in front
 * of a MockServer playing Anthropic, checked on the Messages request Anthropic received and on the
 * chat completion (or chunk stream, or error) the OpenAI caller got back.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AnthropicTranslationTest {

  private static final String KEY = "sk-ant-api03-TranslatedKey_0123456789";

  @TempDir
  Path dataDir;

  private Faultline faultline;
  private WebClient client;
  private ClientAndServer upstream;
  private int port;
  private String proxyId;

  @BeforeEach
  void start(Vertx vertx) {
    upstream = ClientAndServer.startClientAndServer(
        Configuration.configuration().logLevel(Level.WARN).disableSystemOut(true), 0);
    faultline = LogTesting.start(vertx, dataDir);
    client = FaultlineHarness.client(vertx);
    JsonObject proxy = LogTesting.proxy(client, faultline, new JsonObject().put("name", "claude")
        .put("provider", "anthropic").put("upstream", "http://127.0.0.1:" + upstream.getLocalPort())
        .put("options", new JsonObject().put("default_max_tokens", 1024)));
    port = proxy.getInteger("port");
    proxyId = proxy.getString("id");
  }

  @AfterEach
  void stop() {
    try {
      await(faultline.stop());
    } finally {
      upstream.stop();
    }
  }

  @Test
  void aPlainChatBecomesAMessageAndTheMessageAChatCompletion() {
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "application/json")
        .withHeader("request-id", "req_abc").withBody(message("Hello! How can I help?", "end_turn", usage(12, 7, 0, 0))));

    HttpResponse<Buffer> answer = chat(new JsonObject().put("model", "claude-sonnet-4")
        .put("messages", JsonArray.of(user("Hello"))));

    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    org.mockserver.model.HttpRequest received = single();
    assertEquals("POST /v1/messages", received.getMethod().getValue() + " " + received.getPath().getValue());
    assertEquals(List.of(KEY), received.getHeader("x-api-key"), "the bearer key goes to Anthropic's header");
    assertEquals(List.of(), received.getHeader("authorization"));
    assertEquals(List.of("2023-06-01"), received.getHeader("anthropic-version"));
    assertEquals(new JsonObject().put("model", "claude-sonnet-4").put("max_tokens", 1024)
        .put("messages", JsonArray.of(new JsonObject().put("role", "user")
            .put("content", JsonArray.of(new JsonObject().put("type", "text").put("text", "Hello"))))), body(received));

    JsonObject completion = answer.bodyAsJsonObject();
    assertEquals("chatcmpl-msg_01XFDUDYJgAACzvnptvVoYEL", completion.getString("id"));
    assertEquals("chat.completion", completion.getString("object"));
    assertEquals(MODEL, completion.getString("model"));
    JsonObject choice = completion.getJsonArray("choices").getJsonObject(0);
    assertEquals("stop", choice.getString("finish_reason"));
    assertEquals(new JsonObject().put("role", "assistant").put("content", "Hello! How can I help?").putNull("refusal"),
        choice.getJsonObject("message"));
    assertEquals(new JsonObject().put("prompt_tokens", 12).put("completion_tokens", 7).put("total_tokens", 19)
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 0)), completion.getJsonObject("usage"));
    assertEquals("req_abc", answer.getHeader("x-request-id"));

    JsonObject logged = LogTesting.awaitEntries(client, faultline, "proxy=" + proxyId, 1).get(0);
    assertEquals(12, logged.getInteger("prompt_tokens"), logged.encode());
    assertEquals(7, logged.getInteger("completion_tokens"), logged.encode());
  }

  @Test
  void systemPromptAndAMultiTurnConversationKeepTheirMeaning() {
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "application/json")
        .withBody(message("Paris.", "stop_sequence", usage(30, 2, 0, 0))));

    HttpResponse<Buffer> answer = chat(new JsonObject().put("model", "claude-3-5-haiku-latest")
        .put("messages", JsonArray.of(
            new JsonObject().put("role", "system").put("content", "You are terse."),
            user("Capital of Italy?"),
            new JsonObject().put("role", "assistant").put("content", "Rome."),
            user("And France?")))
        .put("max_tokens", 50).put("temperature", 0.3).put("stop", JsonArray.of("\n\n")));

    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    JsonObject sent = body(single());
    assertEquals("You are terse.", sent.getString("system"));
    assertEquals(50, sent.getInteger("max_tokens"));
    assertEquals(0.3, sent.getDouble("temperature"));
    assertEquals(JsonArray.of("\n\n"), sent.getJsonArray("stop_sequences"));
    assertEquals(List.of("user", "assistant", "user"), sent.getJsonArray("messages").stream()
        .map(m -> ((JsonObject) m).getString("role")).toList());
    assertEquals("Rome.", sent.getJsonArray("messages").getJsonObject(1).getJsonArray("content").getJsonObject(0)
        .getString("text"));
    assertEquals("stop", answer.bodyAsJsonObject().getJsonArray("choices").getJsonObject(0).getString("finish_reason"));
  }

  @Test
  void toolsAreTranslatedAndAToolUseComesBackAsToolCalls() {
    JsonArray content = new JsonArray("""
        [{"type":"text","text":"Let me look."},
         {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"location":"Paris"}}]""");
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "application/json")
        .withBody(message(content, "tool_use", usage(300, 40, 0, 0))));
    JsonObject weather = new JsonObject("""
        {"type":"function","function":{"name":"get_weather","description":"Current weather",
         "parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}}""");

    HttpResponse<Buffer> answer = chat(new JsonObject().put("model", "claude-sonnet-4")
        .put("messages", JsonArray.of(user("Weather in Paris?"))).put("tools", JsonArray.of(weather))
        .put("tool_choice", new JsonObject().put("type", "function")
            .put("function", new JsonObject().put("name", "get_weather"))));

    JsonObject sent = body(single());
    assertEquals(new JsonArray("""
        [{"name":"get_weather","description":"Current weather",
          "input_schema":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}]"""),
        sent.getJsonArray("tools"));
    assertEquals(new JsonObject().put("type", "tool").put("name", "get_weather"), sent.getJsonObject("tool_choice"));
    JsonObject choice = answer.bodyAsJsonObject().getJsonArray("choices").getJsonObject(0);
    assertEquals("tool_calls", choice.getString("finish_reason"));
    assertEquals("Let me look.", choice.getJsonObject("message").getString("content"));
    assertEquals(new JsonArray("""
        [{"id":"toolu_01A09q90qw90lq917835lq9","type":"function",
          "function":{"name":"get_weather","arguments":"{\\"location\\":\\"Paris\\"}"}}]"""),
        choice.getJsonObject("message").getJsonArray("tool_calls"));
  }

  @Test
  void aToolResultGoesBackAsAToolResultBlock() {
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "application/json")
        .withBody(message("It is 18°C in Paris.", "end_turn", usage(350, 12, 0, 0))));

    chat(new JsonObject().put("model", "claude-sonnet-4").put("messages", new JsonArray("""
        [{"role":"user","content":"Weather in Paris?"},
         {"role":"assistant","content":null,"tool_calls":[{"id":"toolu_1","type":"function",
           "function":{"name":"get_weather","arguments":"{\\"location\\":\\"Paris\\"}"}}]},
         {"role":"tool","tool_call_id":"toolu_1","content":"18C, sunny"}]""")));

    assertEquals(new JsonArray("""
        [{"role":"user","content":[{"type":"text","text":"Weather in Paris?"}]},
         {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather",
           "input":{"location":"Paris"}}]},
         {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"18C, sunny"}]}]"""),
        body(single()).getJsonArray("messages"));
  }

  @Test
  void aTextStreamBecomesChunksEndingWithDoneAndItsUsageIsLogged() {
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "text/event-stream")
        .withBody(AnthropicUpstream.textStream("Hello", " world", "!")));

    HttpResponse<Buffer> answer = chat(new JsonObject().put("model", "claude-sonnet-4").put("stream", true)
        .put("stream_options", new JsonObject().put("include_usage", true))
        .put("messages", JsonArray.of(user("Hello"))));

    assertEquals(200, answer.statusCode(), answer.bodyAsString());
    assertTrue(answer.getHeader("content-type").startsWith("text/event-stream"), answer.getHeader("content-type"));
    assertEquals(true, body(single()).getBoolean("stream"));
    List<String> events = events(answer);
    assertEquals("[DONE]", events.get(events.size() - 1));
    StringBuilder text = new StringBuilder();
    List<String> finishes = new ArrayList<>();
    JsonObject usage = null;
    for (String event : events.subList(0, events.size() - 1)) {
      JsonObject chunk = new JsonObject(event);
      assertEquals("chat.completion.chunk", chunk.getString("object"));
      for (Object c : chunk.getJsonArray("choices")) {
        JsonObject choice = (JsonObject) c;
        text.append(choice.getJsonObject("delta").getString("content", ""));
        if (choice.getString("finish_reason") != null) {
          finishes.add(choice.getString("finish_reason"));
        }
      }
      if (chunk.getValue("usage") instanceof JsonObject u) {
        usage = u;
      }
    }
    assertEquals("Hello world!", text.toString());
    assertEquals(List.of("stop"), finishes);
    assertEquals(25, usage.getInteger("prompt_tokens"));
    assertEquals(15, usage.getInteger("completion_tokens"));
    JsonObject logged = LogTesting.awaitEntries(client, faultline, "proxy=" + proxyId, 1).get(0);
    assertEquals(25, logged.getInteger("prompt_tokens"), logged.encode());
    assertEquals(15, logged.getInteger("completion_tokens"), logged.encode());
    assertEquals(false, logged.getBoolean("usage_estimated"), logged.encode());
  }

  @Test
  void aToolUseStreamBecomesToolCallArgumentDeltas() {
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "text/event-stream")
        .withBody(AnthropicUpstream.toolStream()));

    HttpResponse<Buffer> answer = chat(new JsonObject().put("model", "claude-sonnet-4").put("stream", true)
        .put("messages", JsonArray.of(user("Weather in SF?"))).put("tools", new JsonArray(
            "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}]")));

    List<String> events = events(answer);
    assertEquals("[DONE]", events.get(events.size() - 1));
    StringBuilder arguments = new StringBuilder();
    String name = null;
    String finish = null;
    for (String event : events.subList(0, events.size() - 1)) {
      JsonObject choice = new JsonObject(event).getJsonArray("choices").getJsonObject(0);
      if (choice.getJsonObject("delta").getValue("tool_calls") instanceof JsonArray calls) {
        JsonObject call = calls.getJsonObject(0);
        assertEquals(0, call.getInteger("index"));
        JsonObject function = call.getJsonObject("function");
        name = function.getString("name", name);
        arguments.append(function.getString("arguments", ""));
      }
      finish = choice.getString("finish_reason", finish);
    }
    assertEquals("get_weather", name);
    assertEquals(new JsonObject().put("location", "San Francisco, CA"), new JsonObject(arguments.toString()));
    assertEquals("tool_calls", finish);
  }

  @Test
  void eachAnthropicErrorBecomesTheOpenAiErrorAnOpenAiSdkExpects() {
    // Anthropic's type and status -> the OpenAI status, type and code.
    Object[][] cases = {
        {400, "invalid_request_error", 400, "invalid_request_error", null},
        {401, "authentication_error", 401, "invalid_request_error", "invalid_api_key"},
        {403, "permission_error", 403, "invalid_request_error", "permission_denied"},
        {404, "not_found_error", 404, "invalid_request_error", "not_found"},
        {413, "request_too_large", 413, "invalid_request_error", "request_too_large"},
        {429, "rate_limit_error", 429, "requests", "rate_limit_exceeded"},
        {500, "api_error", 500, "server_error", null},
        {529, "overloaded_error", 503, "server_error", "overloaded"}};
    for (Object[] c : cases) {
      upstream.reset();
      String message = "Simulated " + c[1];
      upstream.when(request()).respond(response().withStatusCode((Integer) c[0])
          .withHeader("content-type", "application/json").withHeader("retry-after", "7")
          .withHeader("x-should-retry", "true").withBody(error((String) c[1], message)));

      HttpResponse<Buffer> answer = chat(new JsonObject().put("model", "claude-sonnet-4")
          .put("messages", JsonArray.of(user("hi"))));

      String what = c[1] + " -> " + answer.statusCode() + " " + answer.bodyAsString();
      assertEquals(c[2], answer.statusCode(), what);
      JsonObject body = answer.bodyAsJsonObject();
      assertEquals(Set.of("error"), body.fieldNames(), what);
      JsonObject openAi = body.getJsonObject("error");
      assertEquals(Set.of("message", "type", "param", "code"), openAi.fieldNames(), what);
      assertEquals(message, openAi.getString("message"), what);
      assertEquals(c[3], openAi.getString("type"), what);
      assertEquals(c[4], openAi.getString("code"), what);
      assertEquals("7", answer.getHeader("retry-after"), what);
      assertEquals("true", answer.getHeader("x-should-retry"), what);
      assertTrue(answer.getHeader("content-type").startsWith("application/json"), what);
    }
  }

  @Test
  void aMidStreamErrorEndsTheStreamWithOpenAisErrorEvent() {
    String stream = AnthropicUpstream.textStream("Hel");
    stream = stream.substring(0, stream.indexOf("event: content_block_stop"))
        + "event: error\ndata: " + error("overloaded_error", "Overloaded") + "\n\n";
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "text/event-stream")
        .withBody(stream));

    List<String> events = events(chat(new JsonObject().put("model", "claude-sonnet-4").put("stream", true)
        .put("messages", JsonArray.of(user("hi")))));

    assertFalse(events.contains("[DONE]"), events.toString());
    assertEquals(new JsonObject().put("error", new JsonObject().put("message", "Overloaded").put("type", "server_error")
        .putNull("param").put("code", "overloaded")), new JsonObject(events.get(events.size() - 1)));
  }

  @Test
  void whatMessagesCannotDoIsRefusedBeforeAnthropicIsCalled() {
    HttpResponse<Buffer> answer = chat(new JsonObject().put("model", "claude-sonnet-4").put("n", 3)
        .put("messages", JsonArray.of(user("hi"))));

    assertEquals(400, answer.statusCode(), answer.bodyAsString());
    JsonObject error = answer.bodyAsJsonObject().getJsonObject("error");
    assertEquals("invalid_request_error", error.getString("type"));
    assertEquals("n", error.getString("param"));
    assertEquals(0, upstream.retrieveRecordedRequests(request()).length);
  }

  // --- helpers -------------------------------------------------------------------------------

  private HttpResponse<Buffer> chat(JsonObject body) {
    return await(client.post(port, "127.0.0.1", "/v1/chat/completions")
        .putHeader("Authorization", "Bearer " + KEY).putHeader("content-type", "application/json")
        .sendBuffer(body.toBuffer()));
  }

  private static JsonObject user(String text) {
    return new JsonObject().put("role", "user").put("content", text);
  }

  private org.mockserver.model.HttpRequest single() {
    org.mockserver.model.HttpRequest[] received = upstream.retrieveRecordedRequests(request());
    assertEquals(1, received.length, "one upstream request: " + Arrays.toString(received));
    return received[0];
  }

  private static JsonObject body(org.mockserver.model.HttpRequest received) {
    return new JsonObject(received.getBodyAsString());
  }

  /** The data of each server-sent event. */
  static List<String> events(HttpResponse<Buffer> answer) {
    List<String> events = new ArrayList<>();
    for (String event : answer.bodyAsString().split("\n\n")) {
      if (!event.isBlank()) {
        assertTrue(event.startsWith("data: "), "an OpenAI event is data only: " + event);
        events.add(event.substring("data: ".length()));
      }
    }
    return events;
  }
}
