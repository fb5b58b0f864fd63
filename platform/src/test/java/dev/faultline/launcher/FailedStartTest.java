package dev.faultline.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.faultline.FaultlineHarness;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database and the plugins open side by side at a start; when one of them fails, the other is
 * closed again. Seen from outside: this process keeps none of the plugin jars open. (The database
 * holds no connection until its first query, so its side leaves no open file to look for.)
 */
@ExtendWith(VertxExtension.class)
class FailedStartTest {

  @TempDir
  Path dir;

  @Test
  void aStartWhoseDatabaseCannotOpenUnloadsThePlugins(Vertx vertx) throws Exception {
    // This start's own copy of the plugins, so that other tests' plugins in this JVM do not count.
    Path plugins = Files.createDirectory(dir.resolve("plugins"));
    try (Stream<Path> jars = Files.list(FaultlineHarness.PLUGINS)) {
      for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
        Files.copy(jar, plugins.resolve(jar.getFileName()));
      }
    }
    Path notAFolder = Files.writeString(dir.resolve("data"), "a file where the data folder should be");

    failedStart(vertx, FaultlineHarness.config(notAFolder).withPluginsDir(plugins));

    assertEquals(List.of(), openFilesUnder(plugins), "the plugin jars are closed after the failed start");
  }

  private static void failedStart(Vertx vertx, FaultlineConfig config) throws Exception {
    try {
      Faultline.start(vertx, config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException expected) {
      return;
    }
    throw new AssertionError("the start should have failed");
  }

  /** Files under {@code folder} that this process has open, from its file descriptors. */
  private static List<Path> openFilesUnder(Path folder) throws IOException {
    Path real = folder.toRealPath();
    try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
      return descriptors.flatMap(fd -> {
        try {
          return Stream.of(Files.readSymbolicLink(fd));
        } catch (IOException gone) {
          return Stream.empty();
        }
      }).filter(target -> target.startsWith(real)).toList();
    }
  }
}
