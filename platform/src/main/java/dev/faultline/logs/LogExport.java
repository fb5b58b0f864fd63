package dev.faultline.logs;

import dev.faultline.store.Paging;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Streams the log entries a query matches to an HTTP response as CSV, JSON or NDJSON: a page of
 * rows is read from the database, written, and the next page is read only once the caller has
 * taken it (back-pressure). Memory stays at one page whatever the number of rows.
 */
public final class LogExport {

  private static final int PAGE = 500;

  /** An export format: its content type and how rows are written. */
  public enum Format {
    CSV("text/csv; charset=utf-8"),
    JSON("application/json"),
    NDJSON("application/x-ndjson");

    private final String contentType;

    Format(String contentType) {
      this.contentType = contentType;
    }

    public String contentType() {
      return contentType;
    }

    public String extension() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Format> parse(String name) {
      return Arrays.stream(values()).filter(f -> f.extension().equals(name)).findFirst();
    }
  }

  private final LogStore store;

  public LogExport(LogStore store) {
    this.store = store;
  }

  /** Writes every entry matching {@code query} and ends {@code out}; the number of entries written. */
  public Future<Long> write(LogQuery query, Format format, HttpServerResponse out) {
    out.setChunked(true).putHeader("content-type", format.contentType());
    if (format == Format.CSV) {
      out.write(CsvCells.header());
    } else if (format == Format.JSON) {
      out.write("[");
    }
    Progress progress = new Progress(query);
    return Paging.untilLast(() -> nextPage(progress, format, out))
        .map(v -> progress.written)
        .compose(count -> (format == Format.JSON ? out.end(count == 0 ? "]\n" : "\n]\n") : out.end()).map(count));
  }

  /** Where an export stands: the query for the next page and the entries written so far. */
  private static final class Progress {
    private LogQuery query;
    private long written;

    private Progress(LogQuery query) {
      this.query = query;
    }
  }

  /** Writes the next page; whether another follows (once the caller has taken this one). */
  private Future<Boolean> nextPage(Progress progress, Format format, HttpServerResponse out) {
    return store.page(progress.query, PAGE).compose(page -> {
      if (out.closed()) {
        return Future.failedFuture("the caller went away after " + progress.written + " entries");
      }
      Buffer chunk = Buffer.buffer(page.entries().size() * 512);
      for (JsonObject entry : page.entries()) {
        append(chunk, entry, format, progress.written++ == 0);
      }
      out.write(chunk);
      // Only the cursor goes on: the next page must not keep this page's rows alive.
      LogQuery.Cursor next = page.next();
      if (next == null) {
        return Future.succeededFuture(false);
      }
      progress.query = progress.query.after(next);
      return writable(out).map(true);
    });
  }

  private static void append(Buffer chunk, JsonObject entry, Format format, boolean first) {
    switch (format) {
      case CSV -> chunk.appendString(CsvCells.row(entry));
      case NDJSON -> chunk.appendString(entry.encode()).appendByte((byte) '\n');
      case JSON -> chunk.appendString(first ? "\n" : ",\n").appendString(entry.encode());
    }
  }

  /** Completes once the caller has taken what was written; fails if it goes away instead. */
  private static Future<Void> writable(HttpServerResponse out) {
    if (!out.writeQueueFull()) {
      return Future.succeededFuture();
    }
    Promise<Void> ready = Promise.promise();
    out.drainHandler(v -> ready.tryComplete());
    out.closeHandler(v -> ready.tryFail("the caller went away"));
    return ready.future();
  }

  /** RFC 4180 cells, with text that a spreadsheet would run as a formula made inert. */
  static final class CsvCells {

    private CsvCells() {
    }

    static String header() {
      StringBuilder line = new StringBuilder("id");
      for (LogField field : LogField.values()) {
        line.append(',').append(field.key());
      }
      return line.append("\r\n").toString();
    }

    static String row(JsonObject entry) {
      StringBuilder line = new StringBuilder(512).append(cell(entry.getValue("id")));
      for (LogField field : LogField.values()) {
        line.append(',').append(cell(entry.getValue(field.key())));
      }
      return line.append("\r\n").toString();
    }

    static String cell(Object value) {
      if (value == null) {
        return "";
      }
      if (value instanceof Double d) {
        return BigDecimal.valueOf(d).toPlainString();
      }
      if (!(value instanceof String text)) {
        return String.valueOf(value);
      }
      String safe = inert(text);
      boolean quote = safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0
          || safe.indexOf('\r') >= 0;
      return quote ? '"' + safe.replace("\"", "\"\"") + '"' : safe;
    }

    /** A leading {@code = + - @}, tab or CR makes spreadsheets evaluate a cell: a quote in front makes it text. */
    private static String inert(String text) {
      if (text.isEmpty()) {
        return text;
      }
      char first = text.charAt(0);
      return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
          ? "'" + text : text;
    }
  }
}
