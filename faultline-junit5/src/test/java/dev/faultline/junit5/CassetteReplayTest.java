package dev.faultline.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record once, replay with the upstream gone: an {@code openai} proxy forwarding to a real
 * upstream (here a mock proxy, itself a real HTTP server) records a cassette; another, whose
 * upstream is a port nothing listens on, answers the same request from it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CassetteReplayTest {

  private static final String API_KEY = "sk-test";

  // On an instance field: a Faultline of its own for each test.
  @RegisterExtension
  FaultlineExtension faultline = new FaultlineExtension();

  @TempDir
  Path dir;

  @Test
  void aRecordedCassetteReplaysWithoutTheUpstream() throws IOException {
    FaultlineProxy upstream = faultline.mockProxy("upstream");
    FaultlineProxy recorder = faultline.forwardingProxy("recorder", "openai", upstream.baseUrl()).cache(true);
    ChatCompletion recorded = call(recorder);
    Path cassette = Files.write(dir.resolve("session.ndjson"), recorder.exportCassette().getBytes());

    FaultlineProxy player = faultline.forwardingProxy("player", "openai", "http://127.0.0.1:" + deadPort() + "/v1");
    assertEquals(1, player.replay(cassette, API_KEY));
    ChatCompletion replayed = call(player);

    assertEquals(recorded.id(), replayed.id());
    assertEquals(recorded.choices().get(0).message().content(), replayed.choices().get(0).message().content());
    assertEquals(List.of("HIT"), player.journal(1).cacheStatuses());
    assertEquals(List.of(200), player.journal(1).statuses());
    // Only the recording reached the upstream.
    assertEquals(1, upstream.journal(1).count());
  }

  private static ChatCompletion call(FaultlineProxy proxy) {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(proxy.baseUrl()).apiKey(API_KEY).maxRetries(0)
        .timeout(Duration.ofSeconds(15)).build();
    try {
      return client.chat().completions().create(ChatCompletionCreateParams.builder().model(ChatModel.GPT_4O_MINI)
          .addUserMessage("What is a fault line?").build());
    } finally {
      client.close();
    }
  }

  private static int deadPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
