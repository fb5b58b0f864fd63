package dev.faultline.logs;

import static dev.faultline.FaultlineHarness.await;
import static dev.faultline.logs.LogTesting.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.parsetools.RecordParser;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/logs?export=csv|json|ndjson}: valid files, safe cells, streamed in bounded memory. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LogExportTest {

  /** Model names as hostile as a caller can make them. */
  private static final List<String> NASTY = List.of(
      "=HYPERLINK(\"http://evil.example\",\"click\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\tTAB", "\rCR",
      "plain, with a comma", "say \"hi\"", "two\nlines", "ünïcødé 😀", "safe-name");

  @TempDir
  Path dataDir;

  private Faultline faultline;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx) {
    faultline = LogTesting.start(vertx, dataDir);
    client = FaultlineHarness.client(vertx);
  }

  @AfterEach
  void stop() {
    await(faultline.stop());
  }

  @Test
  void csvIsRfc4180WithFormulaCellsNeutralised() {
    List<JsonObject> rows = new ArrayList<>();
    for (int i = 0; i < NASTY.size(); i++) {
      rows.add(entry("prx_csv", 1_000_000 + i, 200, NASTY.get(i), null, null).put("cost_usd", 0.0000125));
    }
    LogTesting.insert(faultline.database().file(), rows);

    HttpResponse<Buffer> response = export("proxy=prx_csv&export=csv");
    assertEquals("text/csv; charset=utf-8", response.getHeader("content-type"));
    assertEquals("attachment; filename=\"faultline-logs.csv\"", response.getHeader("content-disposition"));
    String text = response.bodyAsString();
    assertTrue(text.endsWith("\r\n"), "records end with CRLF");
    List<List<String>> records = Rfc4180.parse(text);

    List<String> header = records.get(0);
    assertEquals("id", header.get(0));
    for (int i = 0; i < LogField.values().length; i++) {
      assertEquals(LogField.values()[i].key(), header.get(i + 1));
    }
    assertEquals(NASTY.size() + 1, records.size(), "a header and one record per entry: " + text);
    int model = header.indexOf("model");
    for (int i = 0; i < NASTY.size(); i++) {
      List<String> record = records.get(NASTY.size() - i);  // newest first
      assertEquals(header.size(), record.size(), "every record has every column: " + record);
      String original = NASTY.get(i);
      String expected = "=+-@\t\r".indexOf(original.charAt(0)) >= 0 ? "'" + original : original;
      assertEquals(expected, record.get(model), "model cell of " + original);
      assertEquals("0.0000125", record.get(header.indexOf("cost_usd")), "numbers are plain, never 1.25E-5");
      assertEquals("", record.get(header.indexOf("fault")), "null is an empty cell");
      assertEquals("false", record.get(header.indexOf("stream")));
    }
  }

  @Test
  void ndjsonAndJsonExportsAreValidAndHoldWhatTheApiShows() {
    List<JsonObject> rows = new ArrayList<>();
    for (int i = 0; i < 1_234; i++) {
      rows.add(entry("prx_j", 2_000_000 + i, i % 2 == 0 ? 200 : 500, NASTY.get(i % NASTY.size()), null, null));
    }
    LogTesting.insert(faultline.database().file(), rows);
    JsonArray page = LogTesting.logs(client, faultline, "proxy=prx_j&status=5xx&limit=1000").getJsonArray("entries");

    HttpResponse<Buffer> ndjson = export("proxy=prx_j&status=5xx&export=ndjson");
    assertEquals("application/x-ndjson", ndjson.getHeader("content-type"));
    String[] lines = ndjson.bodyAsString().split("\n", -1);
    assertEquals(617 + 1, lines.length, "one line per entry, each ended by a newline");
    assertEquals("", lines[617]);
    assertEquals(617, page.size());
    for (int i = 0; i < 617; i++) {
      assertEquals(page.getJsonObject(i), new JsonObject(lines[i]), "line " + i);
    }

    HttpResponse<Buffer> json = export("proxy=prx_j&status=5xx&export=json");
    assertEquals("application/json", json.getHeader("content-type"));
    assertEquals(page, new JsonArray(json.bodyAsString()), "the same entries, across the export's own pages");

    assertEquals(new JsonArray(), new JsonArray(export("proxy=nobody&export=json").bodyAsString()));
    assertNull(export("proxy=nobody&export=ndjson").body(), "no entry, no byte");
  }

  @Test
  void aHundredThousandRowsStreamInBoundedMemory(Vertx vertx) throws InterruptedException {
    int total = 100_000;
    for (int batch = 0; batch < total / 5_000; batch++) {
      List<JsonObject> rows = new ArrayList<>(5_000);
      for (int i = 0; i < 5_000; i++) {
        rows.add(entry("prx_big", 3_000_000L + batch * 5_000 + i, 200, "gpt-4o-mini", "MISS", null));
      }
      LogTesting.insert(faultline.database().file(), rows);
    }
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long baseline = heapAfterGc(memory);

    HttpClient http = vertx.createHttpClient();
    AtomicLong lines = new AtomicLong();
    // The rows seen, by id (1 to total), so that a row missing or sent twice is named.
    BitSet seen = new BitSet(total + 1);
    List<String> oddLines = new CopyOnWriteArrayList<>();
    RecordParser csvLines = RecordParser.newDelimited("\n", line -> {
      lines.incrementAndGet();
      String text = line.toString();
      int comma = text.indexOf(',');
      if (lines.get() == 1 && text.startsWith("id,")) {
        return;
      }
      try {
        int id = Integer.parseInt(text.substring(0, comma));
        if (seen.get(id)) {
          oddLines.add("twice: " + id);
        }
        seen.set(id);
      } catch (RuntimeException e) {
        oddLines.add("line " + lines.get() + ": " + text);
      }
    });
    Promise<Void> halfway = Promise.promise();
    Promise<Void> done = Promise.promise();
    HttpClientResponse response = await(http.request(HttpMethod.GET, faultline.adminPort(), "127.0.0.1",
        "/api/logs?proxy=prx_big&export=csv").compose(request -> request
            .putHeader("Authorization", FaultlineHarness.adminAuthorization()).send().map(answer -> {
          // Set in the callback that sent the request, on the event loop, so before any chunk
          // arrives; chained from this thread instead, they could come after the first one.
          answer.handler(chunk -> {
            csvLines.handle(chunk);
            if (!halfway.future().isComplete() && lines.get() >= total / 2) {
              answer.pause();
              halfway.complete();
            }
          });
          answer.endHandler(v -> done.tryComplete());
          answer.exceptionHandler(done::tryFail);
          return answer;
        })));
    assertEquals(200, response.statusCode());

    await(halfway.future());
    // The server fills the socket and waits for this reader: read the heap once that has settled.
    long midway = settledHeapAfterGc(memory);
    response.resume();
    await(done.future());

    BitSet missing = new BitSet();
    missing.set(1, total + 1);
    missing.andNot(seen);
    assertTrue(missing.isEmpty() && oddLines.isEmpty(), lines.get() + " lines; rows missing (by id): "
        + missing.stream().limit(20).boxed().toList() + " of " + missing.cardinality() + "; odd lines: "
        + oddLines.stream().limit(20).toList());
    assertEquals(total + 1, lines.get(), "a header and every row");
    long grown = midway - baseline;
    assertTrue(grown < 48L * 1024 * 1024, "an export holds a page, not the rows: the heap grew by "
        + grown / (1024 * 1024) + " MiB half-way through " + total + " rows");
  }

  private HttpResponse<Buffer> export(String query) {
    return await(client.get(faultline.adminPort(), "127.0.0.1", "/api/logs?" + query).send()
        .map(r -> FaultlineHarness.expect(r, 200)));
  }

  /** The heap after GC once two readings 200 ms apart differ by under 1 MiB (10 s at most: then the last). */
  private static long settledHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long last = heapAfterGc(memory);
    while (System.nanoTime() < deadline) {
      Thread.sleep(200);
      long now = heapAfterGc(memory);
      if (Math.abs(now - last) < 1024 * 1024) {
        return Math.max(now, last);
      }
      last = now;
    }
    return last;
  }

  private static long heapAfterGc(MemoryMXBean memory) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** A strict RFC 4180 reader: quoted fields may hold commas, quotes (doubled) and line breaks. */
  static final class Rfc4180 {

    static List<List<String>> parse(String text) {
      List<List<String>> records = new ArrayList<>();
      List<String> record = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      int i = 0;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (c == '"' && field.length() == 0) {
          i++;
          while (true) {
            if (i >= text.length()) {
              throw new AssertionError("unterminated quoted field");
            }
            char q = text.charAt(i++);
            if (q == '"') {
              if (i < text.length() && text.charAt(i) == '"') {
                field.append('"');
                i++;
              } else {
                break;
              }
            } else {
              field.append(q);
            }
          }
          char next = i < text.length() ? text.charAt(i) : '\r';
          assertTrue(next == ',' || next == '\r', "a quoted field ends at a comma or CRLF, at " + i);
        } else if (c == ',') {
          record.add(field.toString());
          field.setLength(0);
          i++;
        } else if (c == '\r') {
          assertEquals('\n', text.charAt(i + 1), "CR only as part of CRLF outside quotes, at " + i);
          record.add(field.toString());
          field.setLength(0);
          records.add(record);
          record = new ArrayList<>();
          i += 2;
        } else {
          assertTrue(c != '\n' && c != '"', "a bare " + (c == '"' ? "quote" : "LF") + " outside quotes at " + i);
          field.append(c);
          i++;
        }
      }
      assertTrue(record.isEmpty() && field.length() == 0, "the text ends with a record's CRLF");
      return records;
    }
  }
}
