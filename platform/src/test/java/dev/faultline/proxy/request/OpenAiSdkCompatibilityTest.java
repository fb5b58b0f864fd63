package dev.faultline.proxy.request;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.embeddings.EmbeddingModel;
import com.openai.models.models.Model;
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

/**
 * The official OpenAI Java SDK against a Faultline proxy with the offline {@code mock} provider:
 * whatever Faultline answers must parse, with the SDK's strict response validation on. SDK calls
 * block, so they run on the test thread, never on an event loop.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenAiSdkCompatibilityTest {

  @TempDir
  Path dataDir;

  private Faultline faultline;
  private OpenAIClient sdk;
  private String baseUrl;

  @BeforeEach
  void start(Vertx vertx) {
    this.faultline = await(FaultlineHarness.start(vertx, dataDir));
    WebClient admin = FaultlineHarness.client(vertx);
    JsonObject proxy = await(FaultlineHarness.createProxy(admin, faultline, new JsonObject()
        .put("name", "sdk").put("provider", "mock")));
    this.baseUrl = "http://127.0.0.1:" + proxy.getInteger("port") + "/v1";
    this.sdk = client("sk-test");
  }

  @AfterEach
  void stop() {
    try {
      if (sdk != null) {
        sdk.close();
      }
    } finally {
      if (faultline != null) {
        await(faultline.stop());
      }
    }
  }

  @Test
  void chatCompletionParses() {
    ChatCompletion completion = sdk.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(ChatModel.GPT_4O_MINI)
        .addUserMessage("Say hello to Faultline.")
        .build());

    assertTrue(completion.id().startsWith("chatcmpl-"), completion.id());
    assertEquals("gpt-4o-mini", completion.model());
    assertFalse(completion.choices().isEmpty(), completion.toString());
    String content = completion.choices().get(0).message().content().orElse("");
    assertFalse(content.isBlank(), "choices[0].message.content is empty: " + completion);
    assertFalse(completion.choices().get(0).finishReason().asString().isBlank(), completion.toString());
    CompletionUsage usage = completion.usage().orElseThrow(() -> new AssertionError("no usage: " + completion));
    assertTrue(usage.promptTokens() > 0 && usage.completionTokens() > 0, usage.toString());
    assertEquals(usage.promptTokens() + usage.completionTokens(), usage.totalTokens(), "usage totals: " + usage);
  }

  @Test
  void streamedChatCompletionParsesAndCompletes() {
    ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
        .model(ChatModel.GPT_4O_MINI)
        .addUserMessage("Stream something.")
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .build();

    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunks::add);
    }

    assertFalse(chunks.isEmpty(), "no chunk arrived");
    StringBuilder content = new StringBuilder();
    String finishReason = null;
    CompletionUsage usage = null;
    for (ChatCompletionChunk chunk : chunks) {
      assertEquals(chunks.get(0).id(), chunk.id(), "every chunk of one completion shares its id");
      assertEquals("gpt-4o-mini", chunk.model());
      for (ChatCompletionChunk.Choice choice : chunk.choices()) {
        choice.delta().content().ifPresent(content::append);
        if (choice.finishReason().isPresent()) {
          finishReason = choice.finishReason().get().asString();
        }
      }
      if (chunk.usage().isPresent()) {
        usage = chunk.usage().get();
      }
    }
    assertFalse(content.toString().isBlank(), "streamed content is empty over " + chunks.size() + " chunks");
    assertTrue(finishReason != null, "no chunk carried a finish_reason: the stream did not complete");
    assertTrue(usage != null, "include_usage asked for a usage chunk; none came");
    assertEquals(usage.promptTokens() + usage.completionTokens(), usage.totalTokens(), "usage totals: " + usage);
  }

  @Test
  void modelsListAndRetrieve() {
    List<Model> models = sdk.models().list().data();
    assertFalse(models.isEmpty());
    assertTrue(models.stream().anyMatch(m -> m.id().equals("gpt-4o-mini")), models.toString());
    assertEquals("gpt-4o-mini", sdk.models().retrieve("gpt-4o-mini").id());

    NotFoundException missing = assertThrows(NotFoundException.class, () -> sdk.models().retrieve("no-such-model"));
    assertEquals(404, missing.statusCode());
    assertEquals("invalid_request_error", missing.type().orElse(null), missing.getMessage());
    assertEquals("model_not_found", missing.code().orElse(null), missing.getMessage());
  }

  @Test
  void embeddingParses() {
    CreateEmbeddingResponse embedding = sdk.embeddings().create(EmbeddingCreateParams.builder()
        .model(EmbeddingModel.TEXT_EMBEDDING_3_SMALL)
        .input("Faultline sits in front of LLM APIs.")
        .build());

    assertEquals(1, embedding.data().size(), embedding.toString());
    assertEquals(0, embedding.data().get(0).index());
    assertFalse(embedding.data().get(0).embedding().isEmpty());
    assertTrue(embedding.usage().promptTokens() > 0, embedding.usage().toString());
    assertEquals(embedding.usage().promptTokens(), embedding.usage().totalTokens());
  }

  @Test
  void proxyErrorsParseAsSdkExceptions() {
    OpenAIClient keyless = client("");
    try {
      UnauthorizedException refused = assertThrows(UnauthorizedException.class, () -> keyless.models().list());
      assertEquals(401, refused.statusCode());
      assertEquals("invalid_request_error", refused.type().orElse(null), refused.getMessage());
    } finally {
      keyless.close();
    }
  }

  private OpenAIClient client(String apiKey) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(baseUrl)
        .apiKey(apiKey)
        .maxRetries(0)
        .responseValidation(true)
        .timeout(Duration.ofSeconds(15))
        .build();
  }
}
