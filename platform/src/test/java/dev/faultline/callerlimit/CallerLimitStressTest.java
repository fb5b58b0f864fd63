package dev.faultline.callerlimit;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.launcher.Faultline;
import dev.faultline.logs.LogTesting;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * One caller far over its limit, on loopback, bounded in time and count: it is held to about
 * rate × time + burst answers, while a second caller behind the same forwarder is served every
 * time, and the refusals show in the logs and the metrics. Counts, never latencies, are judged.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CallerLimitStressTest {

  private static final double RATE = 20;
  private static final int BURST = 10;
  private static final int RUNAWAY_CONNECTIONS = 32;
  /** The runaway runs at least this long, and until the polite caller has sent its requests... */
  private static final long MIN_RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(2_000);
  /** ...but never longer, nor more requests than this (a slow shared machine makes fewer). */
  private static final long MAX_RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(15_000);
  private static final int MAX_RUNAWAY_REQUESTS = 4_000;
  private static final int POLITE_REQUESTS = 8;
  private static final String RUNAWAY = "10.0.0.66";
  private static final String POLITE = "10.0.0.77";

  @TempDir
  Path dataDir;

  @Test
  void aRunawayCallerIsHeldToItsLimitWhileAnotherIsServed(Vertx vertx) {
    Faultline faultline = await(Faultline.start(vertx, CallerLimitTest.config(dataDir, new JsonObject())));
    WebClient admin = FaultlineHarness.client(vertx);
    WebClient runawayClient = WebClient.create(vertx, new WebClientOptions().setLocalAddress(CallerLimitTest.TRUSTED),
        new PoolOptions().setHttp1MaxSize(RUNAWAY_CONNECTIONS));
    WebClient politeClient = WebClient.create(vertx, new WebClientOptions().setLocalAddress(CallerLimitTest.TRUSTED));
    try {
      JsonObject proxy = await(FaultlineHarness.createProxy(admin, faultline, new JsonObject().put("name", "stress")
          .put("provider", "mock").put("require_api_key", false)
          .put("caller_limit", CallerLimitTest.limit(RATE, null, BURST))));
      int port = proxy.getInteger("port");
      String id = proxy.getString("id");

      Tally runaway = new Tally();
      Tally polite = new Tally();
      long started = System.nanoTime();
      AtomicInteger runawayBudget = new AtomicInteger(MAX_RUNAWAY_REQUESTS);
      AtomicInteger politeBudget = new AtomicInteger(POLITE_REQUESTS);
      // Ten a second at most (one at a time, 100 ms apart): well within its own 20.
      Future<Void> politeDone = loop(vertx, () -> send(politeClient, port, POLITE), polite,
          () -> politeBudget.getAndDecrement() <= 0 || System.nanoTime() - started > MAX_RUN_NANOS, 100);
      List<Future<Void>> runawayLoops = new ArrayList<>();
      for (int i = 0; i < RUNAWAY_CONNECTIONS; i++) {
        runawayLoops.add(loop(vertx, () -> send(runawayClient, port, RUNAWAY), runaway, () -> {
          long ran = System.nanoTime() - started;
          return ran > MAX_RUN_NANOS || runawayBudget.getAndDecrement() <= 0
              || ran > MIN_RUN_NANOS && politeDone.isComplete();
        }, 0));
      }
      // The runaway's own time: a fast machine spends its whole budget well before the polite
      // caller is done, and the bucket refills only while the runaway still asks.
      long runawayEnded = await(Future.all(runawayLoops).map(v -> System.nanoTime()));
      await(politeDone);
      double seconds = (runawayEnded - started) / 1e9;

      assertTrue(runaway.errors.isEmpty() && polite.errors.isEmpty(), "requests failed: " + runaway.errors
          + polite.errors);
      int served = runaway.count(200);
      int refused = runaway.count(429);
      assertEquals(runaway.total(), served + refused, "only 200s and 429s: " + runaway.statuses);
      // The bucket cannot give more than its burst plus what refills over the whole run; the lower
      // bound is loose (a quarter of the refill) so a starved machine does not fail it.
      double most = BURST + RATE * seconds + 1;
      double least = BURST + RATE * seconds / 4;
      assertTrue(served <= most && served >= least, served + " of " + runaway.total() + " served in " + seconds
          + " s; expected about " + (BURST + RATE * seconds) + ", between " + least + " and " + most);
      assertTrue(refused > served, "the runaway was far over its limit: " + runaway.statuses);
      assertEquals(POLITE_REQUESTS, polite.total(), "the polite caller sent all its requests: " + polite.statuses);
      assertEquals(polite.total(), polite.count(200), "the polite caller was always served: " + polite.statuses);

      LogTesting.eventually("the metrics to count " + refused + " refusals",
          () -> prometheusCount(admin, faultline, id) == refused,
          () -> "Prometheus says " + prometheusCount(admin, faultline, id));
      JsonObject minute = await(admin.get(faultline.adminPort(), "127.0.0.1", "/api/metrics?proxy=" + id + "&window=1m")
          .send()).bodyAsJsonObject();
      assertEquals(refused, minute.getLong("caller_rate_limited"), minute.encode());
      List<JsonObject> logged = LogTesting.awaitEntries(admin, faultline, "proxy=" + id + "&status=429",
          Math.min(refused, 1000));
      assertTrue(logged.stream().allMatch(e -> "caller_rate_limited".equals(e.getString("error_type"))
          && RUNAWAY.equals(e.getString("client_ip"))), "every 429 was the runaway's, refused by the caller limit");
    } finally {
      await(faultline.stop());
    }
  }

  /** What one caller got back. */
  private static final class Tally {
    final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();

    int count(int status) {
      AtomicInteger n = statuses.get(status);
      return n == null ? 0 : n.get();
    }

    int total() {
      return statuses.values().stream().mapToInt(AtomicInteger::get).sum();
    }
  }

  /**
   * Requests one after another until {@code stop} says so, {@code pauseMs} apart. Each starts
   * from the previous one's callback, never as a future composed onto the previous ones, so
   * thousands of them never unwind on one stack.
   */
  private static Future<Void> loop(Vertx vertx, Supplier<Future<HttpResponse<Buffer>>> request, Tally tally,
                                   BooleanSupplier stop, long pauseMs) {
    Promise<Void> done = Promise.promise();
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      if (stop.getAsBoolean()) {
        done.tryComplete();
        return;
      }
      request.get().onComplete(answer -> {
        if (answer.succeeded()) {
          tally.statuses.computeIfAbsent(answer.result().statusCode(), s -> new AtomicInteger()).incrementAndGet();
        } else {
          tally.errors.add(answer.cause());
        }
        if (pauseMs > 0) {
          vertx.setTimer(pauseMs, t -> next[0].run());
        } else {
          next[0].run();
        }
      });
    };
    vertx.runOnContext(v -> next[0].run());
    return done.future();
  }

  private static Future<HttpResponse<Buffer>> send(WebClient client, int port, String caller) {
    return client.post(port, "127.0.0.1", "/v1/chat/completions")
        .putHeader("content-type", "application/json").putHeader("X-Forwarded-For", caller)
        .timeout(4_000)
        .sendBuffer(Buffer.buffer(CallerLimitTest.CHAT));
  }

  private static final Pattern COUNTER = Pattern.compile(
      "(?m)^faultline_caller_rate_limited_total\\{node=\"[^\"]+\",proxy=\"([^\"]+)\",proxy_name=\"[^\"]*\"} (\\d+)(?:\\.0)?$");

  private static long prometheusCount(WebClient admin, Faultline faultline, String proxyId) {
    String text = await(admin.get(faultline.adminPort(), "127.0.0.1", "/metrics").send()).bodyAsString();
    Matcher m = COUNTER.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(proxyId)) {
        return Long.parseLong(m.group(2));
      }
    }
    return -1;
  }
}
