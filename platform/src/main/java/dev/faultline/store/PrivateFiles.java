package dev.faultline.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * The database holds logged bodies and the cache's key secret: its folder, when Faultline makes
 * it, is the user's alone (0700), and the file with its write-ahead log and shared memory are too
 * (0600). SQLite gives the {@code -wal} and {@code -shm} it creates the main file's mode, so the
 * main file is made 0600 before SQLite first opens it; files an older version left readable are
 * tightened. A folder that already exists is left as it is: it may be shared ({@code data_dir: .}).
 * Where files have no POSIX permissions (Windows), only the folder is made. Blocking: call it on a
 * worker.
 */
final class PrivateFiles {

  static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  /** The database file itself, then what SQLite keeps beside it. */
  private static final List<String> SUFFIXES = List.of("", "-wal", "-shm", "-journal");

  private PrivateFiles() {
  }

  /** Makes the folder of {@code database} when missing and the database's files the owner's alone. */
  static void prepare(Path database) {
    Path file = database.toAbsolutePath();
    Path folder = file.getParent();
    try {
      boolean posix = makeFolder(folder);
      if (!posix) {
        return;
      }
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_FILE));
      } catch (FileAlreadyExistsException e) {
        // an existing database: tightened below with its side files
      }
      for (String suffix : SUFFIXES) {
        Path each = file.resolveSibling(file.getFileName() + suffix);
        if (Files.isRegularFile(each, LinkOption.NOFOLLOW_LINKS)) {
          Files.setPosixFilePermissions(each, OWNER_FILE);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the data folder for " + file + ": " + e.getMessage(), e);
    }
  }

  /** Makes the folder (0700 where permissions exist); whether its files have POSIX permissions. */
  private static boolean makeFolder(Path folder) throws IOException {
    if (Files.isDirectory(folder)) {
      return posix(folder);
    }
    Path above = folder.getParent();
    if (above != null) {
      Files.createDirectories(above);
    }
    if (!posix(above == null ? folder.getRoot() : above)) {
      Files.createDirectories(folder);
      return false;
    }
    try {
      Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_DIR));
    } catch (FileAlreadyExistsException e) {
      // made meanwhile by someone else: left as it is, like any existing folder
    }
    return true;
  }

  private static boolean posix(Path path) throws IOException {
    return Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class);
  }
}
