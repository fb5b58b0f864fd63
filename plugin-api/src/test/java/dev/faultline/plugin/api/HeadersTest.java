package dev.faultline.plugin.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeadersTest {

  @Test
  void namesCompareCaseInsensitivelyAndValuesKeepTheirOrder() {
    Headers headers = Headers.of("Set-Cookie", "a=1", "content-type", "text/plain", "set-cookie", "b=2");
    assertEquals(Optional.of("a=1"), headers.get("SET-COOKIE"));
    assertEquals(List.of("a=1", "b=2"), headers.getAll("set-cookie"));
    assertTrue(headers.contains("Content-Type"));
    assertFalse(headers.contains("content-length"));
    assertEquals(Optional.empty(), headers.get("x-missing"));
    assertEquals(List.of(), headers.getAll("x-missing"));
    assertEquals(Set.of("Set-Cookie", "content-type", "set-cookie"), headers.names(), "names as spelled");
    assertEquals(3, headers.size());
  }

  @Test
  void withReplacesEveryValueAndWithoutRemovesThem() {
    Headers headers = Headers.of("x-a", "1", "X-A", "2", "x-b", "3");
    Headers replaced = headers.with("x-a", "9");
    assertEquals(List.of("9"), replaced.getAll("x-a"));
    assertEquals(List.of("1", "2"), headers.getAll("x-a"), "the original is untouched");
    Headers without = headers.without("X-a", "x-b");
    assertEquals(0, without.size());
    assertSame(Headers.empty(), without, "no field left is the shared empty instance");
  }

  @Test
  void builderSetAddAndRemove() {
    Headers built = Headers.builder().add("a", "1").add("a", "2").set("A", "3").add("b", "4").remove("B").build();
    assertEquals(List.of("3"), built.getAll("a"));
    assertFalse(built.contains("b"));
    Headers extended = built.toBuilder().add("c", "5").build();
    assertEquals(1, built.size(), "toBuilder copies");
    assertEquals(2, extended.size());
  }

  @Test
  void copiesAVertxMultiMapAndVisitsInOrder() {
    MultiMap source = MultiMap.caseInsensitiveMultiMap().add("a", "1").add("b", "2").add("a", "3");
    Headers copy = Headers.copyOf(source);
    List<String> seen = new ArrayList<>();
    copy.forEach((name, value) -> seen.add(name + "=" + value));
    assertEquals(List.of("1", "3"), copy.getAll("A"));
    assertEquals(3, seen.size());
    assertTrue(seen.containsAll(List.of("a=1", "b=2", "a=3")), seen.toString());
  }

  @Test
  void namesAndValuesMustComeInPairs() {
    assertThrows(IllegalArgumentException.class, () -> Headers.of("only-a-name"));
  }

  @Test
  void fieldsCannotBeChangedFromOutside() {
    Headers headers = Headers.of("a", "1");
    List<String> values = headers.getAll("a");
    values.add("2");
    assertEquals(List.of("1"), headers.getAll("a"));
  }

  @Test
  void hopByHopFieldsAreKnownInAnyCaseAndNothingElseIs() {
    for (String name : List.of("Connection", "KEEP-ALIVE", "proxy-connection", "Transfer-Encoding", "TE", "trailer",
        "Upgrade", "Content-Length")) {
      assertTrue(Headers.isHopByHop(name), name);
    }
    for (String name : List.of("host", "content-type", "authorization", "x-request-id", "connections", "t")) {
      assertFalse(Headers.isHopByHop(name), name);
    }
  }
}
