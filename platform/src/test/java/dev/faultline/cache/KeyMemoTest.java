package dev.faultline.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.ProxyRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A remembered key is reused only for the very same request: any byte that differs computes afresh. */
class KeyMemoTest {

  private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private final KeyMemo memo = new KeyMemo();
  private final AtomicInteger computed = new AtomicInteger();

  @Test
  void theSameRequestAgainReusesItsKey() {
    CacheKeys.Key first = key(request("POST", "/v1/chat/completions", headers("sk-a"), BODY));
    CacheKeys.Key again = key(request("POST", "/v1/chat/completions", headers("sk-a"), BODY));
    assertSame(first, again);
    assertEquals(1, computed.get(), "the second, identical request was not computed again");
  }

  @Test
  void everyPartOfTheRequestCounts() {
    key(request("POST", "/v1/chat/completions", headers("sk-a"), BODY));
    key(request("POST", "/v1/chat/completions", headers("sk-b"), BODY));                      // another caller
    key(request("POST", "/v1/chat/completions", headers("sk-a"), BODY.replace("hi", "ho"))); // body
    key(request("POST", "/v1/completions", headers("sk-a"), BODY));                           // path
    key(request("PUT", "/v1/chat/completions", headers("sk-a"), BODY));                       // method
    key(request("POST", "/v1/chat/completions",
        headers("sk-a").with("anthropic-beta", "x"), BODY));                                  // a header a provider may read
    key(request("POST", "/v1/chat/completions",
        headers("sk-a").with("accept-encoding", "gzip"), BODY));                              // a header the digest reads
    assertEquals(7, computed.get(), "each differing request got its own key");
  }

  @Test
  void bytesMovedBetweenPartsMakeAnotherRequest() {
    key(request("POST", "/v1/chat/completions", Headers.of("x-a", "bc"), BODY));
    key(request("POST", "/v1/chat/completions", Headers.of("x-ab", "c"), BODY));
    assertEquals(2, computed.get());
  }

  private CacheKeys.Key key(ProxyRequest request) {
    return memo.of(request, () -> {
      computed.incrementAndGet();
      return new CacheKeys.Key("key-" + computed.get(), "tenant", "digest");
    });
  }

  private static Headers headers(String apiKey) {
    return Headers.of("content-type", "application/json", "authorization", "Bearer " + apiKey);
  }

  private static ProxyRequest request(String method, String uri, Headers headers, String body) {
    return new ProxyRequest("req_1", method, uri, headers, Buffer.buffer(body), new JsonObject(body));
  }
}
