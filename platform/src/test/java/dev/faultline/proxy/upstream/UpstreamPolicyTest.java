package dev.faultline.proxy.upstream;

import static dev.faultline.FaultlineHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.plugin.api.UpstreamGuard;
import dev.faultline.plugin.api.UpstreamRefusedException;
import dev.faultline.proxy.ProxyException;
import dev.faultline.proxy.upstream.UpstreamPolicy.PrivateUpstreams;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.junit5.VertxExtension;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The policy with a resolver whose answers the test sets: what is refused when saved, and that
 * a name checked when saved is checked again on connect (DNS rebinding).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UpstreamPolicyTest {

  private static final String ADMIN = "usr_admin";
  private static final String USER = "usr_user";

  private final Map<String, List<InetAddress>> dns = new ConcurrentHashMap<>();
  private final Set<Thread> resolvedOn = ConcurrentHashMap.newKeySet();

  private UpstreamPolicy policy(Vertx vertx, PrivateUpstreams who) {
    UpstreamPolicy.Resolver resolver = name -> {
      resolvedOn.add(Thread.currentThread());
      List<InetAddress> found = dns.get(name);
      if (found == null) {
        throw new UnknownHostException(name);
      }
      return found;
    };
    return new UpstreamPolicy(vertx, who, id -> Future.succeededFuture(ADMIN.equals(id)), resolver);
  }

  @Test
  void aNameThatLaterPointsAtMetadataIsRefusedOnConnect(Vertx vertx) throws Exception {
    UpstreamPolicy policy = policy(vertx, PrivateUpstreams.ADMINS);
    dns.put("llm.example", List.of(InetAddress.getByName("93.184.216.34")));
    await(policy.check("https://llm.example/v1", USER));
    UpstreamGuard guard = policy.guard("prx_1", USER);
    SocketAddress first = await(guard.resolve("llm.example", 443));
    assertEquals("93.184.216.34", first.hostAddress());
    assertEquals(443, first.port());

    dns.put("llm.example", List.of(InetAddress.getByName("169.254.169.254")));
    UpstreamRefusedException refused = refusedOnConnect(guard, "llm.example");
    assertTrue(refused.getMessage().contains("link-local or cloud metadata"), refused.getMessage());
    assertFalse(refused.getMessage().contains("169.254"), "the caller is told the kind, not the address");
    assertEquals(403, refused.error().status());
    assertEquals("upstream_refused", refused.error().code());
    assertFalse(resolvedOn.stream().anyMatch(t -> t.getName().contains("eventloop")), "resolved off the event loop");
  }

  @Test
  void aNameThatLaterPointsAtAPrivateNetworkIsRefusedForAUserNotForAnAdmin(Vertx vertx) throws Exception {
    UpstreamPolicy policy = policy(vertx, PrivateUpstreams.ADMINS);
    dns.put("llm.example", List.of(InetAddress.getByName("93.184.216.34")));
    UpstreamGuard users = policy.guard("prx_1", USER);
    UpstreamGuard admins = policy.guard("prx_2", ADMIN);
    await(users.resolve("llm.example", 80));

    dns.put("llm.example", List.of(InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.1.2.3")));
    UpstreamRefusedException refused = refusedOnConnect(users, "llm.example");
    assertTrue(refused.getMessage().contains("loopback or private-network"), refused.getMessage());
    assertEquals("93.184.216.34", await(admins.resolve("llm.example", 80)).hostAddress());
  }

  @Test
  void everyAddressANameResolvesToIsCheckedWhenSaved(Vertx vertx) throws Exception {
    UpstreamPolicy policy = policy(vertx, PrivateUpstreams.ADMINS);
    dns.put("mixed.example", List.of(InetAddress.getByName("93.184.216.34"), InetAddress.getByName("127.0.0.1")));
    dns.put("meta.example.", List.of(InetAddress.getByName("169.254.169.254")));
    ProxyException error = savedRefused(policy, "http://mixed.example:8000", USER);
    assertTrue(error.getMessage().startsWith("upstream: mixed.example resolves to 127.0.0.1, a loopback"),
        error.getMessage());
    await(policy.check("http://mixed.example:8000", ADMIN));

    error = savedRefused(policy, "http://meta.example./", ADMIN);
    assertTrue(error.getMessage().contains("169.254.169.254, a link-local or cloud metadata address"),
        error.getMessage());
    assertTrue(savedRefused(policy, "http://METADATA.google.internal./", ADMIN).getMessage()
        .contains("cloud metadata service"));
    // Not resolvable now (offline, say): saved, and checked when a request connects.
    await(policy.check("https://api.openai.com/v1", USER));
  }

  @Test
  void everyoneMayReachPrivateNetworksWhenConfiguredButNeverMetadata(Vertx vertx) throws Exception {
    UpstreamPolicy policy = policy(vertx, PrivateUpstreams.EVERYONE);
    await(policy.check("http://10.0.0.5:11434", USER));
    await(policy.check("http://[::1]:8000", USER));
    savedRefused(policy, "http://[::ffff:a9fe:a9fe]", USER);
    savedRefused(policy, "http://0xa9fea9fe", ADMIN);
    assertEquals("127.0.0.1", await(policy.guard("prx_1", USER).resolve("127.1", 8000)).hostAddress());
    refusedOnConnect(policy.guard("prx_1", ADMIN), "2852039166");
  }

  private static ProxyException savedRefused(UpstreamPolicy policy, String url, String owner) {
    Throwable error = assertThrows(Throwable.class, () -> await(policy.check(url, owner)), url);
    ProxyException refused = assertInstanceOf(ProxyException.class, rootOf(error), url);
    assertEquals("upstream", refused.field());
    assertEquals(400, refused.status());
    return refused;
  }

  private static UpstreamRefusedException refusedOnConnect(UpstreamGuard guard, String host) {
    Throwable error = assertThrows(Throwable.class, () -> await(guard.resolve(host, 80)), host);
    return assertInstanceOf(UpstreamRefusedException.class, rootOf(error), host);
  }

  private static Throwable rootOf(Throwable error) {
    return error instanceof ProxyException || error instanceof UpstreamRefusedException || error.getCause() == null
        ? error : rootOf(error.getCause());
  }
}
