package dev.faultline.proxy.upstream;

import dev.faultline.plugin.api.UpstreamGuard;
import dev.faultline.plugin.api.UpstreamRefusedException;
import dev.faultline.proxy.Echo;
import dev.faultline.proxy.ProxyException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a proxy may send its callers' requests, and with them their API keys. Link-local and
 * cloud metadata addresses: never. Loopback and private networks: a proxy owned by an admin, or
 * anyone's where configuration says so ({@code proxies.private_upstreams: everyone}). Checked
 * when a proxy's upstream is saved, and again on every connection on the address it resolves to
 * then ({@link #guard}), since a name can change what it points to in between.
 */
public final class UpstreamPolicy {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamPolicy.class);

  /** Names that only ever mean a cloud's metadata service, refused whatever they resolve to (or not). */
  private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata.goog");

  /** Whose proxies may forward to loopback and private networks besides admins'. */
  public enum PrivateUpstreams {
    ADMINS, EVERYONE;

    public static PrivateUpstreams parse(String value) {
      return switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "admins" -> ADMINS;
        case "everyone" -> EVERYONE;
        default -> throw new IllegalArgumentException("must be admins or everyone");
      };
    }
  }

  /** Looks a name up (on a worker thread); a test gives one whose answers it controls. */
  @FunctionalInterface
  public interface Resolver {
    Resolver SYSTEM = name -> List.of(InetAddress.getAllByName(name));

    List<InetAddress> resolve(String name) throws UnknownHostException;
  }

  /** Whether an account is an admin now; false for an unknown one. */
  @FunctionalInterface
  public interface Admins {
    Future<Boolean> isAdmin(String userId);
  }

  private final Vertx vertx;
  private final PrivateUpstreams privateUpstreams;
  private final Admins admins;
  private final Resolver resolver;
  /**
   * What each name resolved to, for a few seconds: a request then needs no worker thread for its
   * lookup (the JVM keeps answers 30 s anyway). The address connected to is still the one checked.
   */
  private final Cache<String, List<InetAddress>> resolved;

  /** Looks every name up afresh (for tests that change what a name resolves to). */
  public UpstreamPolicy(Vertx vertx, PrivateUpstreams privateUpstreams, Admins admins, Resolver resolver) {
    this(vertx, privateUpstreams, admins, resolver, Duration.ZERO);
  }

  /** @param remember how long a name's addresses are reused before it is looked up again */
  public UpstreamPolicy(Vertx vertx, PrivateUpstreams privateUpstreams, Admins admins, Resolver resolver,
                        Duration remember) {
    this.vertx = vertx;
    this.privateUpstreams = privateUpstreams;
    this.admins = admins;
    this.resolver = resolver;
    this.resolved = Caffeine.newBuilder().expireAfterWrite(remember).maximumSize(remember.isZero() ? 0 : 10_000)
        .build();
  }

  /**
   * Why an upstream URL can never be used, whoever owns the proxy: its host spells a link-local
   * or metadata address, or is a metadata service's name. Needs no lookup, so it runs with the
   * URL's other checks; empty when nothing is wrong that way.
   */
  public static Optional<String> alwaysRefused(URI uri) {
    String host = HostAddress.hostOf(uri);
    if (host == null) {
      return Optional.empty();
    }
    if (METADATA_NAMES.contains(normalized(host))) {
      return Optional.of(new Refusal(host, null, AddressClass.METADATA).forOwner());
    }
    return HostAddress.literal(host)
        .filter(address -> AddressClass.of(address) == AddressClass.METADATA)
        .map(address -> new Refusal(host, address, AddressClass.METADATA).forOwner());
  }

  /**
   * Checks {@code url}, about to be saved as the upstream of a proxy owned by {@code owner}:
   * every address its host resolves to. Fails with a 400 naming {@code upstream}. A name that
   * does not resolve now is let through (it is checked again when a request connects).
   */
  public Future<Void> check(String url, String owner) {
    if (url == null) {
      return Future.succeededFuture();
    }
    String host;
    try {
      host = HostAddress.hostOf(new URI(url));
    } catch (URISyntaxException e) {
      return Future.succeededFuture();
    }
    if (host == null) {
      return Future.succeededFuture();
    }
    return permitted(host, owner).<Void>mapEmpty().recover(e -> {
      if (e instanceof Refusal refusal) {
        return Future.failedFuture(ProxyException.invalid("upstream", refusal.forOwner() + "; got " + Echo.quote(url)));
      }
      if (e instanceof UnknownHostException) {
        LOG.debug("Upstream host {} does not resolve now; it is checked when a request connects", host);
        return Future.succeededFuture();
      }
      return Future.failedFuture(e);
    });
  }

  /**
   * The connect-time check for one proxy: resolves, checks every address, and gives the first to
   * connect to. A refusal is logged, and answered to the caller as
   * {@link UpstreamRefusedException} (naming the kind of address, not the address).
   */
  public UpstreamGuard guard(String proxyId, String owner) {
    return (host, port) -> permitted(host, owner)
        .map(address -> SocketAddress.inetSocketAddress(new InetSocketAddress(address, port)))
        .recover(e -> {
          if (e instanceof Refusal refusal) {
            LOG.warn("Proxy {}: refused to connect to its upstream {}: {}", proxyId, host, refusal.forOwner());
            return Future.failedFuture(new UpstreamRefusedException(refusal.forCaller()));
          }
          return Future.failedFuture(e);
        });
  }

  /** The address to use for {@code host}, once every address it has passed. */
  private Future<InetAddress> permitted(String host, String owner) {
    return addresses(host).compose(all -> {
      for (InetAddress address : all) {
        if (AddressClass.of(address) == AddressClass.METADATA) {
          return Future.failedFuture(new Refusal(host, address, AddressClass.METADATA));
        }
      }
      Optional<InetAddress> local = all.stream().filter(a -> AddressClass.of(a) == AddressClass.PRIVATE).findFirst();
      if (local.isEmpty()) {
        return Future.succeededFuture(all.get(0));
      }
      return allowsPrivate(owner).compose(allowed -> allowed ? Future.succeededFuture(all.get(0))
          : Future.failedFuture(new Refusal(host, local.get(), AddressClass.PRIVATE)));
    });
  }

  private Future<Boolean> allowsPrivate(String owner) {
    if (privateUpstreams == PrivateUpstreams.EVERYONE) {
      return Future.succeededFuture(true);
    }
    return owner == null ? Future.succeededFuture(false) : admins.isAdmin(owner);
  }

  private Future<List<InetAddress>> addresses(String host) {
    if (METADATA_NAMES.contains(normalized(host))) {
      return Future.failedFuture(new Refusal(host, null, AddressClass.METADATA));
    }
    // Asked first, literals too: reading an address in all its spellings costs more than the lookup.
    List<InetAddress> known = resolved.getIfPresent(host);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    Optional<InetAddress> literal = HostAddress.literal(host);
    if (literal.isPresent()) {
      List<InetAddress> only = List.of(literal.get());
      resolved.put(host, only);
      return Future.succeededFuture(only);
    }
    return vertx.executeBlocking(() -> {
      List<InetAddress> all = resolver.resolve(host);
      if (all.isEmpty()) {
        throw new UnknownHostException(host + ": no address");
      }
      return all;
    }, false).onSuccess(all -> resolved.put(host, all));
  }

  private static String normalized(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    while (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    return name;
  }

  /** A refused address: what its owner is told (with the address) and what a caller is told (without). */
  private static final class Refusal extends RuntimeException {

    private final String host;
    private final InetAddress address;
    private final AddressClass kind;

    Refusal(String host, InetAddress address, AddressClass kind) {
      super(kind.name(), null, false, false);
      this.host = host;
      this.address = address;
      this.kind = kind;
    }

    String forOwner() {
      String what;
      if (address == null) {
        what = host + " is a cloud metadata service";
      } else if (host.equals(address.getHostAddress())) {
        what = host + " is " + kind.description();
      } else {
        String verb = HostAddress.literal(host).isPresent() ? " is " : " resolves to ";
        what = host + verb + address.getHostAddress() + ", " + kind.description();
      }
      return what + (kind == AddressClass.METADATA ? ", which no proxy may reach"
          : ", which only an admin's proxies may reach here (proxies.private_upstreams: admins)");
    }

    String forCaller() {
      return "Faultline refused to connect to this proxy's upstream: it resolves to "
          + (kind == AddressClass.METADATA ? "a link-local or cloud metadata address, which no proxy may reach"
              : "a loopback or private-network address, which only an admin's proxies may reach");
    }
  }
}
