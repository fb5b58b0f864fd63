package dev.faultline.cache;

import dev.faultline.plugin.api.Headers;
import dev.faultline.proxy.ProxyException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A proxy's cache as a portable file: newline-delimited JSON, one header line, one line per
 * entry, and a trailer line with the entry count and the SHA-256 of every byte before it.
 *
 * <pre>
 * {"faultline_cassette":1,"key_scheme":"faultline-cache-v1","provider":"openai","proxy":"dev","exported_at":"…"}
 * {"request_digest":"…","model":"gpt-4o-mini","path":"/v1/chat/completions","recorded_at":"…","status":200,
 *  "headers":[["content-type","application/json"]],"body":"{…}","body_encoding":"utf-8"}
 * {"request_digest":"…",…,"body":"data: {…}\n\ndata: [DONE]\n\n","body_encoding":"utf-8",
 *  "events":[{"end":123,"at_ms":0},{"end":143,"at_ms":40}]}
 * {"entries":2,"sha256":"…"}
 * </pre>
 *
 * <p>An entry names its request only by the request digest, which holds neither tenant nor
 * proxy: a cassette carries no API key and no tenant id. Whoever imports it chooses the tenant
 * its entries answer (see {@link CacheAdmin#importCassette}).
 */
final class Cassette {

  static final int VERSION = 1;

  private static final Set<String> ENTRY_FIELDS = Set.of("request_digest", "model", "path", "recorded_at", "status",
      "headers", "body", "body_encoding", "events");
  private static final HexFormat HEX = HexFormat.of();

  private Cassette() {
  }

  /** An entry read from a cassette: an answer without a key, tenant or proxy yet. */
  record Recorded(String digest, String model, String path, int status, Headers headers, Buffer body,
                  List<CacheEntry.Event> events) {

    CacheEntry bind(String key, String proxyId, String tenant, long createdAt) {
      return new CacheEntry(key, proxyId, tenant, digest, model, path, status, headers, body, events, createdAt);
    }
  }

  /** Writes a cassette line by line, keeping the count and checksum. Used by one thread at a time. */
  static final class Writer {
    private final MessageDigest sha256 = sha256();
    private long entries;

    Buffer header(String provider, String proxyName) {
      return line(new JsonObject().put("faultline_cassette", VERSION).put("key_scheme", CacheKeys.SCHEME)
          .put("provider", provider).put("proxy", proxyName).put("exported_at", Instant.now().toString()));
    }

    Buffer entries(List<CacheEntry> page) {
      Buffer lines = Buffer.buffer();
      for (CacheEntry entry : page) {
        lines.appendBuffer(line(entry(entry)));
        entries++;
      }
      return lines;
    }

    Buffer trailer() {
      JsonObject trailer = new JsonObject().put("entries", entries).put("sha256", HEX.formatHex(sha256.digest()));
      return Buffer.buffer(trailer.encode()).appendByte((byte) '\n');
    }

    private Buffer line(JsonObject json) {
      Buffer line = Buffer.buffer(json.encode()).appendByte((byte) '\n');
      sha256.update(line.getBytes());
      return line;
    }

    private static JsonObject entry(CacheEntry entry) {
      JsonArray headers = new JsonArray();
      entry.headers().forEach((name, value) -> headers.add(new JsonArray().add(name).add(value)));
      String text = utf8(entry.body());
      JsonObject line = new JsonObject()
          .put("request_digest", entry.digest())
          .put("model", entry.model())
          .put("path", entry.path())
          .put("recorded_at", Instant.ofEpochMilli(entry.createdAt()).toString())
          .put("status", entry.status())
          .put("headers", headers)
          .put("body", text != null ? text : Base64.getEncoder().encodeToString(entry.body().getBytes()))
          .put("body_encoding", text != null ? "utf-8" : "base64");
      if (entry.stream()) {
        JsonArray events = new JsonArray();
        entry.events().forEach(e -> events.add(new JsonObject().put("end", e.end()).put("at_ms", e.atMillis())));
        line.put("events", events);
      }
      return line;
    }
  }

  /**
   * The entries of a whole cassette, checked before any is used: a cassette that is not one, was
   * made under another key scheme or for another provider, was changed or cut short, or has an
   * entry that does not hold together is refused whole.
   *
   * @throws ProxyException {@code cassette: line N: what is wrong}
   */
  static List<Recorded> read(Buffer file, String provider) {
    List<int[]> lines = lines(file);
    if (lines.isEmpty()) {
      throw invalid("the file is empty");
    }
    JsonObject header = json(file, lines.get(0), 1);
    Object version = header.getValue("faultline_cassette");
    if (!(version instanceof Number)) {
      throw invalid("line 1: not a Faultline cassette (its first line has no \"faultline_cassette\" version)");
    }
    if (((Number) version).intValue() != VERSION) {
      throw invalid("line 1: cassette version " + version + "; this Faultline reads version " + VERSION);
    }
    if (!CacheKeys.SCHEME.equals(header.getValue("key_scheme"))) {
      throw invalid("line 1: key_scheme " + header.getValue("key_scheme") + " is not this Faultline's "
          + CacheKeys.SCHEME + ", so no request would find these entries");
    }
    if (!provider.equals(header.getValue("provider"))) {
      throw invalid("line 1: recorded through provider '" + header.getValue("provider") + "', but this proxy uses '"
          + provider + "'; the providers normalize requests differently, so no request would find these entries");
    }
    int[] last = lines.get(lines.size() - 1);
    JsonObject trailer = lines.size() < 2 ? null : json(file, last, lines.size());
    if (trailer == null || !trailer.containsKey("sha256")) {
      throw invalid("the cassette is truncated: its last line is not the trailer with \"entries\" and \"sha256\"");
    }
    String computed = HEX.formatHex(sha256().digest(file.getBytes(0, last[0])));
    if (!computed.equals(trailer.getValue("sha256"))) {
      throw invalid("line " + lines.size() + ": sha256 " + trailer.getValue("sha256") + " does not match the content ("
          + computed + "): the cassette was changed or damaged (re-encoding, such as CRLF line ends, changes it too)");
    }
    int count = lines.size() - 2;
    if (!(trailer.getValue("entries") instanceof Number n) || n.longValue() != count) {
      throw invalid("line " + lines.size() + ": entries is " + trailer.getValue("entries") + " but the cassette holds "
          + count);
    }
    List<Recorded> entries = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      entries.add(entry(json(file, lines.get(i), i + 1), i + 1));
    }
    return entries;
  }

  private static Recorded entry(JsonObject line, int number) {
    for (String field : line.fieldNames()) {
      if (!ENTRY_FIELDS.contains(field)) {
        throw invalid(number, field, "unknown field; an entry has " + String.join(", ", ENTRY_FIELDS.stream().sorted().toList()));
      }
    }
    String digest = line.getValue("request_digest") instanceof String s && CacheKeys.isKey(s) ? s : null;
    if (digest == null) {
      throw invalid(number, "request_digest", "must be 64 lower-case hex digits");
    }
    if (!(line.getValue("path") instanceof String path) || !path.startsWith("/")) {
      throw invalid(number, "path", "must be a request path starting with /");
    }
    Object model = line.getValue("model");
    if (model != null && !(model instanceof String)) {
      throw invalid(number, "model", "must be a string or null");
    }
    if (!(line.getValue("status") instanceof Integer status) || status < 200 || status > 299) {
      throw invalid(number, "status", "must be an integer from 200 to 299 (only 2xx answers are cached)");
    }
    Buffer body = body(line, number);
    return new Recorded(digest, (String) model, path, status, headers(line.getValue("headers"), number), body,
        events(line.getValue("events"), body.length(), number));
  }

  private static Buffer body(JsonObject line, int number) {
    if (!(line.getValue("body") instanceof String text)) {
      throw invalid(number, "body", "must be a string");
    }
    Object encoding = line.getValue("body_encoding");
    if ("utf-8".equals(encoding)) {
      return Buffer.buffer(text);
    }
    if ("base64".equals(encoding)) {
      try {
        return Buffer.buffer(Base64.getDecoder().decode(text));
      } catch (IllegalArgumentException e) {
        throw invalid(number, "body", "is not valid base64: " + e.getMessage());
      }
    }
    throw invalid(number, "body_encoding", "must be \"utf-8\" or \"base64\"");
  }

  private static Headers headers(Object value, int number) {
    if (!(value instanceof JsonArray fields)) {
      throw invalid(number, "headers", "must be an array of [name, value] pairs");
    }
    Headers.Builder headers = Headers.builder();
    for (Object field : fields) {
      if (!(field instanceof JsonArray pair) || pair.size() != 2 || !(pair.getValue(0) instanceof String name)
          || !(pair.getValue(1) instanceof String text)) {
        throw invalid(number, "headers", "must be an array of [name, value] string pairs, got " + field);
      }
      if (!CacheEntry.KEPT_HEADERS.contains(name.toLowerCase())) {
        throw invalid(number, "headers", "'" + name + "' is not replayed from a cache; allowed: "
            + String.join(", ", CacheEntry.KEPT_HEADERS.stream().sorted().toList()));
      }
      headers.add(name.toLowerCase(), text);
    }
    return headers.build();
  }

  private static List<CacheEntry.Event> events(Object value, int bodyLength, int number) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonArray items) || items.isEmpty()) {
      throw invalid(number, "events", "must be a non-empty array of {\"end\", \"at_ms\"} or absent");
    }
    List<CacheEntry.Event> events = new ArrayList<>(items.size());
    int previousEnd = 0;
    long previousAt = 0;
    for (Object item : items) {
      if (!(item instanceof JsonObject event) || !(event.getValue("end") instanceof Integer end)
          || !(event.getValue("at_ms") instanceof Number at) || at.longValue() < 0) {
        throw invalid(number, "events", "each event must be {\"end\": byte offset, \"at_ms\": milliseconds >= 0}, got "
            + item);
      }
      if (end <= previousEnd || end > bodyLength || at.longValue() < previousAt) {
        throw invalid(number, "events", "ends must rise within the body (" + bodyLength + " bytes) and times must "
            + "not go back; got " + item + " after end " + previousEnd);
      }
      events.add(new CacheEntry.Event(end, at.longValue()));
      previousEnd = end;
      previousAt = at.longValue();
    }
    if (previousEnd != bodyLength) {
      throw invalid(number, "events", "the last event must end where the body does (" + bodyLength + " bytes), not at "
          + previousEnd);
    }
    return List.copyOf(events);
  }

  /** [start, end) of each non-empty line, without its newline. */
  private static List<int[]> lines(Buffer file) {
    List<int[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= file.length(); i++) {
      if (i == file.length() || file.getByte(i) == '\n') {
        if (i > start) {
          lines.add(new int[] {start, i});
        }
        start = i + 1;
      }
    }
    return lines;
  }

  private static JsonObject json(Buffer file, int[] line, int number) {
    try {
      Object value = file.slice(line[0], line[1]).toJsonValue();
      if (value instanceof JsonObject object) {
        return object;
      }
    } catch (DecodeException e) {
      throw invalid("line " + number + ": not valid JSON: " + e.getMessage());
    }
    throw invalid("line " + number + ": must be a JSON object");
  }

  /** The body as text when it is valid UTF-8, else {@code null}. */
  private static String utf8(Buffer body) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body.getBytes()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static ProxyException invalid(int line, String field, String message) {
    return invalid("line " + line + ": " + field + ": " + message);
  }

  private static ProxyException invalid(String message) {
    return ProxyException.invalid("cassette", message);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
