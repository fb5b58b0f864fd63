package dev.faultline.store;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database's files on disk, as a running Faultline leaves them: the user's alone, whatever
 * the umask. They hold logged bodies and the cache's key secret.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrivateFilesTest {

  @TempDir
  Path temp;

  @BeforeEach
  void posixOnly() {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions only");
  }

  @Test
  void aNewDataFolderAndTheDatabaseFilesAreTheOwnersAlone(Vertx vertx) throws IOException {
    Path dataDir = temp.resolve("new/data");
    Faultline faultline = await(FaultlineHarness.start(vertx, dataDir));
    try {
      // A write while running: the write-ahead log and shared memory exist now.
      await(FaultlineHarness.createProxy(FaultlineHarness.client(vertx), faultline,
          new JsonObject().put("name", "p").put("provider", "mock")));
      assertEquals("rwx------", mode(dataDir));
      for (String name : List.of("faultline.db", "faultline.db-wal", "faultline.db-shm")) {
        assertEquals("rw-------", mode(dataDir.resolve(name)), name);
      }
    } finally {
      await(faultline.stop());
    }
  }

  @Test
  void filesAnOlderVersionLeftReadableAreTightenedAndAnExistingFolderIsLeftAlone(Vertx vertx) throws IOException {
    Path dataDir = Files.createDirectory(temp.resolve("shared"));
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    await(await(FaultlineHarness.start(vertx, dataDir)).stop());
    Path db = dataDir.resolve("faultline.db");
    Path wal = Files.writeString(dataDir.resolve("faultline.db-wal"), "");
    Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(wal, PosixFilePermissions.fromString("rw-r--r--"));

    await(await(FaultlineHarness.start(vertx, dataDir)).stop());
    assertEquals("rw-------", mode(db));
    if (Files.exists(wal)) {
      assertEquals("rw-------", mode(wal));
    }
    assertEquals("rwxr-xr-x", mode(dataDir), "a folder that existed may be shared: its mode is the user's choice");
  }

  private static String mode(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
