package dev.faultline.anthropic;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.anthropic.AnthropicUpstream.MODEL;
import static dev.faultline.anthropic.AnthropicUpstream.error;
import static dev.faultline.anthropic.AnthropicUpstream.message;
import static dev.faultline.anthropic.AnthropicUpstream.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.OverloadedException;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.InternalServerException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * The official SDKs, left at their defaults, through the {@code anthropic} provider: the OpenAI
 * Java SDK on the translated path and the Anthropic Java SDK on the native one, with MockServer
 * playing Anthropic. Each must parse what it gets as it parses the real API's answers, and fail
 * (class, status, attempts) as it fails against it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AnthropicSdkTest {

  @TempDir
  Path dataDir;

  private Faultline faultline;
  private ClientAndServer upstream;
  private int port;
  private OpenAIClient openAi;
  private AnthropicClient anthropic;

  @BeforeEach
  void start(Vertx vertx) {
    upstream = ClientAndServer.startClientAndServer(
        Configuration.configuration().logLevel(Level.WARN).disableSystemOut(true), 0);
    faultline = await(FaultlineHarness.start(vertx, dataDir));
    WebClient client = FaultlineHarness.client(vertx);
    port = await(FaultlineHarness.createProxy(client, faultline, new JsonObject().put("name", "claude")
        .put("provider", "anthropic").put("upstream", "http://127.0.0.1:" + upstream.getLocalPort())))
        .getInteger("port");
    // Retries left at each SDK's default, as a user would.
    openAi = openAiClient();
    anthropic = anthropicClient();
  }

  @AfterEach
  void stop() {
    try {
      openAi.close();
      anthropic.close();
      await(faultline.stop());
    } finally {
      upstream.stop();
    }
  }

  // --- the OpenAI SDK, translated ------------------------------------------------------------

  @Test
  void openAiSdkGetsAChatCompletionFromClaude() {
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "application/json")
        .withBody(message("Bonjour !", "max_tokens", usage(9, 4, 0, 0))));

    ChatCompletion completion = openAi.chat().completions().create(chat());

    assertEquals("Bonjour !", completion.choices().get(0).message().content().orElseThrow());
    assertEquals(ChatCompletion.Choice.FinishReason.LENGTH, completion.choices().get(0).finishReason());
    assertEquals(MODEL, completion.model());
    assertEquals(13, completion.usage().orElseThrow().totalTokens());
  }

  @Test
  void openAiSdkStreamsAChatCompletionFromClaude() {
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "text/event-stream")
        .withBody(AnthropicUpstream.textStream("Hello", ", ", "world")));

    StringBuilder text = new StringBuilder();
    List<ChatCompletionChunk.Choice.FinishReason> finishes = new ArrayList<>();
    try (com.openai.core.http.StreamResponse<ChatCompletionChunk> stream =
             openAi.chat().completions().createStreaming(chat())) {
      stream.stream().flatMap(chunk -> chunk.choices().stream()).forEach(choice -> {
        choice.delta().content().ifPresent(text::append);
        choice.finishReason().ifPresent(finishes::add);
      });
    }
    assertEquals("Hello, world", text.toString());
    assertEquals(List.of(ChatCompletionChunk.Choice.FinishReason.STOP), finishes);
  }

  @Test
  void openAiSdkRetriesAnOverloadedClaudeLikeA503AndThenRaisesInternalServerException() {
    upstream.when(request()).respond(response().withStatusCode(529).withHeader("content-type", "application/json")
        .withBody(error("overloaded_error", "Overloaded")));

    InternalServerException error = assertThrows(InternalServerException.class,
        () -> openAi.chat().completions().create(chat()));
    assertEquals(503, error.statusCode());
    assertEquals("server_error", error.type().orElse(null));
    assertEquals("overloaded", error.code().orElse(null));
    assertEquals(3, upstream.retrieveRecordedRequests(request()).length,
        "the OpenAI SDK's default two retries, as for a 503 from OpenAI");
  }

  // --- the Anthropic SDK, native -------------------------------------------------------------

  @Test
  void anthropicSdkGetsAMessage() {
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "application/json")
        .withHeader("request-id", "req_sdk").withBody(message("Hi there", "end_turn", usage(10, 2, 0, 0))));

    Message message = anthropic.messages().create(params());

    assertEquals("Hi there", message.content().get(0).text().orElseThrow().text());
    assertEquals(10, message.usage().inputTokens());
    assertEquals("msg_01XFDUDYJgAACzvnptvVoYEL", message.id());
    org.mockserver.model.HttpRequest received = upstream.retrieveRecordedRequests(request())[0];
    assertEquals("/v1/messages", received.getPath().getValue());
    // The SDK's credential header (this version sends its key as a bearer token) and version reach Anthropic as sent.
    List<String> credentials = new ArrayList<>(received.getHeader("x-api-key"));
    credentials.addAll(received.getHeader("authorization"));
    assertTrue(credentials.contains("sk-ant-sdk-test") || credentials.contains("Bearer sk-ant-sdk-test"),
        received.getHeaders().toString());
    assertEquals(1, received.getHeader("anthropic-version").size(), received.getHeaders().toString());
    assertEquals(List.of("3.14.0"), received.getHeader("X-Stainless-Package-Version"));
  }

  @Test
  void anthropicSdkStreamsAMessage() {
    upstream.when(request()).respond(response().withStatusCode(200).withHeader("content-type", "text/event-stream")
        .withBody(AnthropicUpstream.textStream("Stream", "ed!")));

    StringBuilder text = new StringBuilder();
    List<String> types = new ArrayList<>();
    try (StreamResponse<RawMessageStreamEvent> stream = anthropic.messages().createStreaming(params())) {
      stream.stream().forEach(event -> {
        event.messageStart().ifPresent(e -> types.add("message_start"));
        event.messageStop().ifPresent(e -> types.add("message_stop"));
        event.contentBlockDelta().flatMap(e -> e.delta().text()).ifPresent(delta -> text.append(delta.text()));
      });
    }
    assertEquals("Streamed!", text.toString());
    assertEquals(List.of("message_start", "message_stop"), types);
  }

  @Test
  void anthropicSdkRetriesA529TwiceThenRaisesOverloadedException() {
    upstream.when(request()).respond(response().withStatusCode(529).withHeader("content-type", "application/json")
        .withHeader("x-should-retry", "true").withHeader("request-id", "req_overloaded")
        .withBody(error("overloaded_error", "Overloaded")));

    OverloadedException error = assertThrows(OverloadedException.class, () -> anthropic.messages().create(params()));
    assertEquals(529, error.statusCode());
    assertEquals("req_overloaded", error.requestId().orElse(null));
    assertEquals(3, upstream.retrieveRecordedRequests(request()).length,
        "the Anthropic SDK's default two retries, as against Anthropic");
  }

  private OpenAIClient openAiClient() {
    return OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1").apiKey("sk-ant-openai-sdk")
        .timeout(Duration.ofSeconds(20)).build();
  }

  private AnthropicClient anthropicClient() {
    return AnthropicOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port).apiKey("sk-ant-sdk-test")
        .timeout(Duration.ofSeconds(20)).build();
  }

  private static ChatCompletionCreateParams chat() {
    return ChatCompletionCreateParams.builder().model("claude-sonnet-4").addUserMessage("hi").build();
  }

  private static MessageCreateParams params() {
    return MessageCreateParams.builder().model(MODEL).maxTokens(256).addUserMessage("hi").build();
  }
}
