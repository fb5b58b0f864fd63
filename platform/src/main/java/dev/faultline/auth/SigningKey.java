package dev.faultline.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The secret that signs session tokens (HS256): configured, or 256 random bits made at first start
 * and kept in the data folder, readable by the owner alone. Kept across restarts so that signed-in
 * people stay signed in; deleting the file signs everyone out.
 */
final class SigningKey {

  static final String FILE = "session-signing.key";
  /** HS256 wants a key at least as long as its hash: 32 bytes. */
  static final int MIN_BYTES = 32;

  private SigningKey() {
  }

  /** Blocking: call on a worker. */
  static String load(String configured, Path dataDir) {
    if (configured != null) {
      if (configured.getBytes(StandardCharsets.UTF_8).length < MIN_BYTES) {
        throw new IllegalArgumentException("auth.session_secret (FAULTLINE_SESSION_SECRET): at least " + MIN_BYTES
            + " bytes are needed for HS256, got " + configured.getBytes(StandardCharsets.UTF_8).length);
      }
      return configured;
    }
    Path file = dataDir.resolve(FILE);
    try {
      return Files.readString(file).trim();
    } catch (java.nio.file.NoSuchFileException missing) {
      return create(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static String create(Path file) {
    String key = Secrets.random("");
    try {
      // On PostgreSQL no database file made the data folder first.
      try {
        Files.createDirectories(file.getParent(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createDirectories(file.getParent());
      }
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(file);
      }
      Files.writeString(file, key);
      return key;
    } catch (FileAlreadyExistsException raced) {
      return load(null, file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
