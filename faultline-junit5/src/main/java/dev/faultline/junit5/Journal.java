package dev.faultline.junit5;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What reached one proxy, oldest first, read from Faultline's request log ({@code GET /api/logs}):
 * one entry per request, with the fields the Logs API documents ({@code model}, {@code status},
 * {@code fault}, {@code cache_status}, tokens, …). A snapshot: read it again after more calls.
 */
public final class Journal {

  /** Longest wait for log entries to be written: the writer batches, so an entry lands shortly after its answer. */
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final long POLL_MS = 50;

  private final List<JsonObject> entries;

  private Journal(List<JsonObject> entries) {
    this.entries = Collections.unmodifiableList(entries);
  }

  /** Once the log writer has written what it holds. */
  static Journal read(AdminClient admin, String proxyId, Instant since) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (admin.json(HttpMethod.GET, "/healthz", null, 200).getJsonObject("logs").getLong("pending") > 0) {
      pause(deadline, "the request log still had entries to write");
    }
    return fetch(admin, proxyId, since);
  }

  /** Once at least {@code count} requests are in the log: a call's entry is written just after its answer. */
  static Journal awaitCount(AdminClient admin, String proxyId, Instant since, int count) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Journal journal = fetch(admin, proxyId, since);
    while (journal.count() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected " + count + " requests in the journal within " + WAIT.toSeconds()
            + " s, found " + journal.count() + ": " + journal.entries);
      }
      pause(deadline, "");
      journal = fetch(admin, proxyId, since);
    }
    return journal;
  }

  private static Journal fetch(AdminClient admin, String proxyId, Instant since) {
    JsonArray page = admin.json(HttpMethod.GET, "/api/logs?limit=1000&proxy=" + proxyId + "&from="
        + since.toEpochMilli(), null, 200).getJsonArray("entries");
    List<JsonObject> oldestFirst = new ArrayList<>();
    for (int i = page.size() - 1; i >= 0; i--) {
      oldestFirst.add(page.getJsonObject(i));
    }
    return new Journal(oldestFirst);
  }

  private static void pause(long deadline, String what) {
    if (System.nanoTime() > deadline) {
      throw new AssertionError(what + " after " + WAIT.toSeconds() + " s");
    }
    try {
      Thread.sleep(POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while reading the journal", e);
    }
  }

  public int count() {
    return entries.size();
  }

  /** The log entries themselves, oldest first. */
  public List<JsonObject> entries() {
    return entries;
  }

  /** The model each request named, oldest first. */
  public List<String> models() {
    return entries.stream().map(e -> e.getString("model", "")).toList();
  }

  /** The status each request was answered with, oldest first. */
  public List<Integer> statuses() {
    return entries.stream().map(e -> e.getInteger("status")).toList();
  }

  /** The faults applied to each request ({@code "http-error"}, several comma-separated), {@code "none"} when none. */
  public List<String> faults() {
    return entries.stream().map(e -> e.getString("fault") == null ? "none" : e.getString("fault")).toList();
  }

  /** How each request's cache lookup went: {@code HIT}, {@code MISS}, {@code BYPASS}, or {@code "none"} with the cache off. */
  public List<String> cacheStatuses() {
    return entries.stream().map(e -> e.getString("cache_status") == null ? "none" : e.getString("cache_status"))
        .toList();
  }

  @Override
  public String toString() {
    return entries.toString();
  }
}
