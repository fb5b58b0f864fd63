package dev.faultline.store;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the stores live: the SQLite file in the data folder, or a PostgreSQL database.
 * {@link #toString()} never shows the password: it is what logs and messages print.
 *
 * @param jdbcUrl  the JDBC URL without user or password
 * @param file     the SQLite file; null for PostgreSQL
 */
public record StoreLocation(StoreKind kind, String jdbcUrl, String user, String password, Path file) {

  public static StoreLocation sqlite(Path file) {
    return new StoreLocation(StoreKind.SQLITE, "jdbc:sqlite:" + file.toAbsolutePath(), null, null, file);
  }

  /**
   * A PostgreSQL location from {@code jdbc:postgresql://host[:port]/db[?…]} or
   * {@code postgresql://[user[:password]@]host[:port]/db} (also {@code postgres://}). A user or
   * password given apart wins over one in the URL.
   *
   * @throws IllegalArgumentException saying what is wrong, without the password
   */
  public static StoreLocation postgresql(String url, String user, String password) {
    String text = url.trim();
    if (text.startsWith("jdbc:")) {
      text = text.substring("jdbc:".length());
    }
    if (text.startsWith("postgres://")) {
      text = "postgresql://" + text.substring("postgres://".length());
    }
    if (!text.startsWith("postgresql://")) {
      throw new IllegalArgumentException("expected jdbc:postgresql://host:port/database or "
          + "postgresql://host:port/database (empty: the embedded SQLite file)");
    }
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URL: " + e.getMessage().replace(text, "…"));
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("names no host");
    }
    String database = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    if (database.isEmpty() || database.contains("/")) {
      throw new IllegalArgumentException("names no database (…/database at the end)");
    }
    String urlUser = null;
    String urlPassword = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      urlUser = decode(parts[0]);
      urlPassword = parts.length > 1 ? decode(parts[1]) : null;
    }
    List<String> kept = new ArrayList<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
        String value = pair.contains("=") ? decode(pair.substring(pair.indexOf('=') + 1)) : "";
        if (name.equals("user")) {
          urlUser = value;
        } else if (name.equals("password")) {
          urlPassword = value;
        } else if (!pair.isEmpty()) {
          kept.add(pair);
        }
      }
    }
    String jdbc = "jdbc:postgresql://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "/"
        + database + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    return new StoreLocation(StoreKind.POSTGRESQL, jdbc, blank(user) ? urlUser : user,
        blank(password) ? urlPassword : password, null);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static String decode(String raw) {
    return URLDecoder.decode(raw, StandardCharsets.UTF_8);
  }

  /** The URL and user, never the password. */
  @Override
  public String toString() {
    if (kind == StoreKind.SQLITE) {
      return "SQLite " + file.toAbsolutePath();
    }
    // Without the query: a driver option such as sslpassword is a secret too.
    int query = jdbcUrl.indexOf('?');
    return "PostgreSQL " + (query < 0 ? jdbcUrl : jdbcUrl.substring(0, query)) + (user == null ? "" : " as " + user);
  }
}
