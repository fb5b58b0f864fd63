package dev.faultline.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.ProxyRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Which request bodies share a cache key and which do not. Bodies are parsed as the proxy parses
 * them ({@code Buffer.toJsonValue}), so duplicate keys, escapes and number spellings arrive here
 * exactly as they would from a caller.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class CanonicalJsonTest {

  @Test
  void spacingAndMemberOrderDoNotMatter() {
    same("{\"b\":1,\"a\":[1,2],\"c\":{\"y\":true,\"x\":null}}",
        " {\n\t\"c\" : { \"x\" : null , \"y\" : true } , \"a\" : [ 1 , 2 ] , \"b\" : 1 }\r\n");
    differ("{\"a\":[1,2]}", "{\"a\":[2,1]}");
  }

  @Test
  void theLastOfDuplicateMembersCounts() {
    same("{\"a\":1,\"a\":2}", "{\"a\":2}");
    differ("{\"a\":1,\"a\":2}", "{\"a\":1}");
  }

  @Test
  void numbersThatAreEqualAreWrittenAlike() {
    assertEquals("{\"n\":1}", canonical("{\"n\":1.0}"));
    same("{\"n\":1}", "{\"n\":1.0}");
    same("{\"n\":1}", "{\"n\":1e0}");
    same("{\"n\":1}", "{\"n\":10e-1}");
    same("{\"n\":100}", "{\"n\":1E2}");
    same("{\"n\":0}", "{\"n\":-0.0}");
    same("{\"n\":0.5}", "{\"n\":0.50}");
    assertEquals("{\"n\":0.1}", canonical("{\"n\":0.1}"));
    assertEquals("{\"n\":1e-7}", canonical("{\"n\":0.0000001}"));
    assertEquals("{\"n\":0.000001}", canonical("{\"n\":1e-6}"));
    differ("{\"n\":1.5}", "{\"n\":1.50000001}");
    differ("{\"n\":1}", "{\"n\":\"1\"}");
    // 64-bit seeds stay exact: they do not round to the same double.
    differ("{\"seed\":1152921504606846977}", "{\"seed\":1152921504606846978}");
    assertEquals("{\"seed\":123456789012345678901234567890}", canonical("{\"seed\":123456789012345678901234567890}"));
  }

  @Test
  void stringsCompareByTheirCharactersNotTheirEscapes() {
    same("{\"s\":\"h\\u00e9llo\"}", "{\"s\":\"héllo\"}");
    same("{\"s\":\"\\ud83d\\ude00\"}", "{\"s\":\"😀\"}");
    same("{\"s\":\"a\\/b\"}", "{\"s\":\"a/b\"}");
    same("{\"\\u0061\":1}", "{\"a\":1}");
    assertEquals("{\"s\":\"tab\\tnl\\nus\\u001fq\\\"bs\\\\\"}", canonical("{\"s\":\"tab\\u0009nl\\nus\\u001Fq\\\"bs\\\\\"}"));
    // Composed é and e + combining accent are different strings: no Unicode normalization.
    differ("{\"s\":\"\\u00e9\"}", "{\"s\":\"e\\u0301\"}");
    // A lone surrogate is escaped, never collapsed into '?' or U+FFFD.
    differ("{\"s\":\"\\ud800\"}", "{\"s\":\"?\"}");
    differ("{\"s\":\"\\ud800\"}", "{\"s\":\"\\ufffd\"}");
    assertEquals("{\"s\":\"\\ud800x\"}", canonical("{\"s\":\"\\uD800x\"}"));
  }

  @Test
  void membersSortByUtf16CodeUnitsAsRfc8785Does() {
    // U+E000 sorts after the emoji U+1F600 here (its first UTF-16 unit is 0xD83D), unlike by code point.
    assertEquals("{\"a\":1,\"😀\":3,\"\uE000\":2}", canonical("{\"\uE000\":2,\"😀\":3,\"a\":1}"));
  }

  @Test
  void theSameInputAlwaysGivesTheSameBytes() {
    String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"temperature\":0.7,"
        + "\"top_p\":1,\"n\":1,\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}]}";
    String first = canonical(body);
    for (int i = 0; i < 20; i++) {
      assertEquals(first, canonical(body));
    }
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.bytes(new JsonObject().put("n", Double.NaN)));
  }

  @Test
  void keysSeparateProxiesTenantsAndRequestsButNotKeySpellings() {
    CacheKeys keys = new CacheKeys("installation secret".getBytes(StandardCharsets.UTF_8));
    CacheKeys otherInstallation = new CacheKeys("another secret".getBytes(StandardCharsets.UTF_8));
    String body = "{\"model\":\"m\",\"temperature\":1.0}";
    CacheKeys.Key key = key(keys, "prx_1", body, "Authorization", "Bearer sk-1");

    assertEquals(key, key(keys, "prx_1", "{ \"temperature\": 1, \"model\": \"m\" }", "authorization", "bearer sk-1"));
    assertEquals(key.tenant(), keys.tenant(Headers.of("api-key", "sk-1")), "Azure's header, same key");
    assertEquals(key.tenant(), keys.tenant(Headers.of("x-api-key", " sk-1 ")));
    assertNotEquals(key.tenant(), keys.tenant(Headers.of("Authorization", "Bearer sk-2")));
    assertNotEquals(key.tenant(), otherInstallation.tenant(Headers.of("Authorization", "Bearer sk-1")),
        "tenants depend on the installation's secret");
    assertNotEquals(key.value(), key(keys, "prx_2", body, "Authorization", "Bearer sk-1").value(), "another proxy");
    assertNotEquals(key.digest(), key(keys, "prx_1", body, "Authorization", "Bearer sk-1", "Accept-Encoding", "gzip")
        .digest(), "a gzip answer is another answer");
    assertEquals(key.digest(), key(otherInstallation, "prx_9", body, "Authorization", "Bearer sk-2").digest(),
        "the digest holds neither tenant nor proxy: cassettes carry it");
    assertEquals(64, key.value().length());
  }

  @Test
  void arrayElementsStaySeparateSoNeighboursCannotRunTogether() {
    assertEquals("[1,2,[3,{\"a\":[]}],\"x\"]", canonical("[ 1 , 2 , [3, {\"a\": [ ]}], \"x\" ]"));
    differ("[1,2]", "[12]");
    differ("{\"a\":[\"x\",\"y\"]}", "{\"a\":[\"xy\"]}");
    assertEquals("{\"a\":{\"b\":1},\"c\":[{\"e\":2,\"d\":[]}]}".replace("\"e\":2,\"d\":[]", "\"d\":[],\"e\":2"),
        canonical("{\"c\":[{\"e\":2,\"d\":[]}],\"a\":{\"b\":1}}"), "members sort inside arrays and objects too");
  }

  private static CacheKeys.Key key(CacheKeys keys, String proxyId, String body, String... headers) {
    Buffer bytes = Buffer.buffer(body);
    ProxyRequest request = new ProxyRequest("req", "POST", "/v1/chat/completions", Headers.of(headers), bytes,
        (JsonObject) bytes.toJsonValue());
    return keys.of(proxyId, request, request.json());
  }

  private static String canonical(String json) {
    return new String(CanonicalJson.bytes(Buffer.buffer(json).toJsonValue()), StandardCharsets.UTF_8);
  }

  private static void same(String a, String b) {
    assertEquals(canonical(a), canonical(b), a + " and " + b + " should hash alike");
  }

  private static void differ(String a, String b) {
    assertNotEquals(canonical(a), canonical(b), a + " and " + b + " should not hash alike");
  }
}
