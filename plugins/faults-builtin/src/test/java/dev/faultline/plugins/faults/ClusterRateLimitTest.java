package dev.faultline.plugins.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.plugin.api.ApiError;
import dev.faultline.plugin.api.Fault;
import dev.faultline.plugin.api.FaultContext;
import dev.faultline.plugin.api.FaultDecision;
import dev.faultline.plugin.api.FaultRequest;
import dev.faultline.plugin.api.Headers;
import dev.faultline.plugin.api.SharedCounter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The limiter of a cluster: two nodes' limiters on the same shared counters (in memory here, as
 * the host's are on one node) take turns, and together behave exactly as one node's limiter
 * does, headers and all (see {@link RateLimitStrategyTest} for the same scenarios on one node).
 */
class ClusterRateLimitTest {

  private final RateLimitStrategy strategy = new RateLimitStrategy();
  private final ManualClock clock = new ManualClock();
  private final Map<String, SharedCounter> counters = new ConcurrentHashMap<>();

  @Test
  void twoNodesShareOneRequestBucket() {
    Fault nodes = twoNodes(new JsonObject().put("requests_per_minute", 3));

    assertPassed(nodes, "2", "20s");
    assertPassed(nodes, "1", "40s");
    assertPassed(nodes, "0", "1m0s");
    ApiError refused = assertRefused(nodes);
    assertEquals("requests", refused.type());
    assertEquals("20", refused.headers().get("retry-after").orElseThrow());
    assertEquals("0", refused.headers().get("x-ratelimit-remaining-requests").orElseThrow());

    clock.advance(12_500);
    ApiError later = assertRefused(nodes);
    assertEquals("8", later.headers().get("retry-after").orElseThrow(), "7.5 s left, rounded up");
    assertEquals("47.5s", later.headers().get("x-ratelimit-reset-requests").orElseThrow());

    clock.advance(7_500);
    assertPassed(nodes, "0", "1m0s");
    assertRefused(nodes);
    clock.advance(60_000);
    assertPassed(nodes, "2", "20s");
  }

  @Test
  void twoNodesShareOneTokenBucketAndARefusedRequestGivesItsRequestBack() {
    Fault nodes = twoNodes(new JsonObject().put("requests_per_minute", 2).put("tokens_per_minute", 1000));

    Headers passed = assertInstanceOf(FaultDecision.Pass.class, nodes.decide(request(600))).headers();
    assertEquals("400", passed.get("x-ratelimit-remaining-tokens").orElseThrow());
    assertEquals("36s", passed.get("x-ratelimit-reset-tokens").orElseThrow());

    ApiError refused = assertInstanceOf(FaultDecision.Respond.class, nodes.decide(request(500))).error();
    assertEquals("tokens", refused.type());
    assertEquals("6", refused.headers().get("retry-after").orElseThrow());
    ApiError tooLarge = assertInstanceOf(FaultDecision.Respond.class, nodes.decide(request(5000))).error();
    assertTrue(tooLarge.message().startsWith("Request too large for gpt-4o-mini"), tooLarge.message());

    // Neither refusal kept its request: one of the two per minute is still there.
    Headers last = assertInstanceOf(FaultDecision.Pass.class, nodes.decide(request(10))).headers();
    assertEquals("0", last.get("x-ratelimit-remaining-requests").orElseThrow());
  }

  /** Two limiters as two nodes make them, asked in turn; the in-memory counters answer at once. */
  private Fault twoNodes(JsonObject params) {
    List<Fault> limiters = List.of(create(params), create(params));
    AtomicInteger turn = new AtomicInteger();
    return request -> {
      Future<FaultDecision> decided = limiters.get(turn.getAndIncrement() % 2).decideAsync(request);
      assertTrue(decided.succeeded(), String.valueOf(decided.cause()));
      return decided.result();
    };
  }

  private Fault create(JsonObject params) {
    return strategy.create(StrategyParams.of(strategy, params), new FaultContext() {
      @Override
      public Vertx vertx() {
        return null;
      }

      @Override
      public String proxyId() {
        return "prx_shared";
      }

      @Override
      public boolean clustered() {
        return true;
      }

      @Override
      public SharedCounter counter(String name) {
        return counters.computeIfAbsent(name, n -> SharedCounter.inMemory());
      }
    });
  }

  private FaultRequest request(long tokens) {
    return FaultRequest.builder().model("gpt-4o-mini").estimatedTokens(tokens).clock(clock).build();
  }

  private void assertPassed(Fault limiter, String remaining, String reset) {
    FaultDecision decision = limiter.decide(request(10));
    Headers headers = assertInstanceOf(FaultDecision.Pass.class, decision, decision.toString()).headers();
    assertEquals(remaining, headers.get("x-ratelimit-remaining-requests").orElseThrow());
    assertEquals(reset, headers.get("x-ratelimit-reset-requests").orElseThrow());
  }

  private ApiError assertRefused(Fault limiter) {
    FaultDecision decision = limiter.decide(request(10));
    ApiError error = assertInstanceOf(FaultDecision.Respond.class, decision, decision.toString()).error();
    assertEquals(429, error.status());
    return error;
  }
}
