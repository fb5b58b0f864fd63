package dev.faultline.store;

import java.sql.SQLException;

/**
 * Which database holds the stores, and the few spots where SQLite and PostgreSQL spell SQL
 * differently. Every other statement is shared: both speak {@code ?} placeholders through JDBC,
 * {@code INSERT … ON CONFLICT}, {@code RETURNING} and window functions.
 */
public enum StoreKind {
  /** The embedded file in the data folder: one node. */
  SQLITE("db/migration/sqlite", "BEGIN IMMEDIATE", "instr"),
  /** A server several nodes share. */
  POSTGRESQL("db/migration/postgresql", "BEGIN", "strpos");

  private final String migrations;
  private final String beginWrite;
  private final String position;

  StoreKind(String migrations, String beginWrite, String position) {
    this.migrations = migrations;
    this.beginWrite = beginWrite;
    this.position = position;
  }

  /** Flyway's classpath folder of this kind's schema. */
  public String migrations() {
    return migrations;
  }

  /**
   * Opens a transaction that will write. SQLite's {@code IMMEDIATE} takes the file's write lock up
   * front (waiting out other writers for the busy timeout) instead of failing at the first write;
   * PostgreSQL locks rows, so a plain {@code BEGIN} is that already.
   */
  public String beginWrite() {
    return beginWrite;
  }

  /** {@code position(haystack, ?) > 0}: whether the bound text occurs in {@code haystack}. */
  public String contains(String haystack) {
    return position + "(" + haystack + ", ?) > 0";
  }

  /** Whether {@code error} (or its cause) is a unique constraint refusing a duplicate, in either database. */
  public static boolean uniqueViolation(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
        return true;
      }
      if (String.valueOf(t.getMessage()).contains("UNIQUE constraint failed")) {
        return true;
      }
    }
    return false;
  }
}
