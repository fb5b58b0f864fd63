package dev.faultline.launcher;

import dev.faultline.auth.AuthSettings;
import dev.faultline.cluster.ClusterSettings;
import dev.faultline.proxy.upstream.UpstreamPolicy.PrivateUpstreams;
import dev.faultline.server.ConnectionTimeouts;
import dev.faultline.store.StoreLocation;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * Every setting Faultline runs with, validated. Built by {@link ConfigLoader}; documented in
 * {@code config/faultline.yaml}.
 *
 * @param demoPort      the demo proxy's port, or {@code null} when the demo is off
 * @param portRangeFrom first port handed to proxies created without one
 * @param portRangeTo   last such port, inclusive
 * @param trustedProxies addresses, CIDR blocks or IPv4 wildcards of reverse proxies whose
 *                       {@code X-Forwarded-For} / {@code Forwarded} headers the IP filter believes
 * @param proxyDefaults  feature blocks (such as {@code cache}) every new proxy starts with, as a
 *                       create request would send them; checked when Faultline starts
 * @param adminAllowedHosts host names the admin server answers to besides the ones it always
 *                       does (loopback names, its bound address); any other {@code Host} is refused
 * @param timeouts       how long the admin API and the proxies wait for callers, and the shutdown grace
 * @param auth           accounts: sessions, the first admin, mail, social sign-in
 * @param privateUpstreams whose proxies may forward to loopback and private networks (admins' always)
 * @param telemetry      where traces of proxied calls go, if anywhere
 * @param store          where the stores live: the data folder's SQLite file, or PostgreSQL
 * @param cluster        whether and how this node joins a cluster
 */
public record FaultlineConfig(
    String host,
    int adminPort,
    Path dataDir,
    Path pluginsDir,
    Integer demoPort,
    int portRangeFrom,
    int portRangeTo,
    long maxBodyBytes,
    int proxyInstances,
    Monitoring monitoring,
    List<String> trustedProxies,
    JsonObject proxyDefaults,
    List<String> adminAllowedHosts,
    ConnectionTimeouts timeouts,
    AuthSettings auth,
    PrivateUpstreams privateUpstreams,
    Telemetry telemetry,
    Store store,
    ClusterSettings cluster) {

  public FaultlineConfig {
    cluster = cluster == null ? ClusterSettings.off() : cluster;
    store = store == null ? Store.embedded() : store;
    telemetry = telemetry == null ? Telemetry.off() : telemetry;
    privateUpstreams = privateUpstreams == null ? PrivateUpstreams.ADMINS : privateUpstreams;
    trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    adminAllowedHosts = adminAllowedHosts == null ? List.of() : List.copyOf(adminAllowedHosts);
    timeouts = timeouts == null ? ConnectionTimeouts.defaults() : timeouts;
    auth = auth == null ? AuthSettings.defaults() : auth;
    proxyDefaults = proxyDefaults == null ? new JsonObject() : proxyDefaults.copy();
  }

  @Override
  public JsonObject proxyDefaults() {
    return proxyDefaults.copy();
  }

  /** The settings of a node that is not part of a cluster. */
  public FaultlineConfig(String host, int adminPort, Path dataDir, Path pluginsDir, Integer demoPort, int portRangeFrom,
                         int portRangeTo, long maxBodyBytes, int proxyInstances, Monitoring monitoring,
                         List<String> trustedProxies, JsonObject proxyDefaults, List<String> adminAllowedHosts,
                         ConnectionTimeouts timeouts, AuthSettings auth, PrivateUpstreams privateUpstreams,
                         Telemetry telemetry, Store store) {
    this(host, adminPort, dataDir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes, proxyInstances,
        monitoring, trustedProxies, proxyDefaults, adminAllowedHosts, timeouts, auth, privateUpstreams, telemetry, store,
        null);
  }

  /** The settings on the embedded SQLite file. */
  public FaultlineConfig(String host, int adminPort, Path dataDir, Path pluginsDir, Integer demoPort, int portRangeFrom,
                         int portRangeTo, long maxBodyBytes, int proxyInstances, Monitoring monitoring,
                         List<String> trustedProxies, JsonObject proxyDefaults, List<String> adminAllowedHosts,
                         ConnectionTimeouts timeouts, AuthSettings auth, PrivateUpstreams privateUpstreams,
                         Telemetry telemetry) {
    this(host, adminPort, dataDir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes, proxyInstances,
        monitoring, trustedProxies, proxyDefaults, adminAllowedHosts, timeouts, auth, privateUpstreams, telemetry, null);
  }

  /** The settings without traces. */
  public FaultlineConfig(String host, int adminPort, Path dataDir, Path pluginsDir, Integer demoPort, int portRangeFrom,
                         int portRangeTo, long maxBodyBytes, int proxyInstances, Monitoring monitoring,
                         List<String> trustedProxies, JsonObject proxyDefaults, List<String> adminAllowedHosts,
                         ConnectionTimeouts timeouts, AuthSettings auth, PrivateUpstreams privateUpstreams) {
    this(host, adminPort, dataDir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes, proxyInstances,
        monitoring, trustedProxies, proxyDefaults, adminAllowedHosts, timeouts, auth, privateUpstreams, null);
  }

  /** The settings with private upstreams for admins only (the default). */
  public FaultlineConfig(String host, int adminPort, Path dataDir, Path pluginsDir, Integer demoPort, int portRangeFrom,
                         int portRangeTo, long maxBodyBytes, int proxyInstances, Monitoring monitoring,
                         List<String> trustedProxies, JsonObject proxyDefaults, List<String> adminAllowedHosts,
                         ConnectionTimeouts timeouts, AuthSettings auth) {
    this(host, adminPort, dataDir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes, proxyInstances,
        monitoring, trustedProxies, proxyDefaults, adminAllowedHosts, timeouts, auth, null);
  }

  /** The settings with the default connection timeouts. */
  public FaultlineConfig(String host, int adminPort, Path dataDir, Path pluginsDir, Integer demoPort, int portRangeFrom,
                         int portRangeTo, long maxBodyBytes, int proxyInstances, Monitoring monitoring,
                         List<String> trustedProxies, JsonObject proxyDefaults) {
    this(host, adminPort, dataDir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes, proxyInstances,
        monitoring, trustedProxies, proxyDefaults, List.of(), null, null, null);
  }

  /** The settings without trusted proxies. */
  public FaultlineConfig(String host, int adminPort, Path dataDir, Path pluginsDir, Integer demoPort, int portRangeFrom,
                         int portRangeTo, long maxBodyBytes, int proxyInstances, Monitoring monitoring) {
    this(host, adminPort, dataDir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes, proxyInstances,
        monitoring, List.of(), null, List.of(), null, null, null);
  }

  /** The settings as they were before monitoring had any, with monitoring at its defaults. */
  public FaultlineConfig(String host, int adminPort, Path dataDir, Path pluginsDir, Integer demoPort, int portRangeFrom,
                         int portRangeTo, long maxBodyBytes, int proxyInstances) {
    this(host, adminPort, dataDir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes, proxyInstances,
        Monitoring.defaults());
  }

  /**
   * Request logs, metrics and event-bus bridges.
   *
   * @param logRetentionDays log rows older than this are pruned; 0 keeps them whatever their age
   * @param logRetentionRows at most this many log rows are kept, the newest; 0 means no limit
   * @param logQueueSize     log entries waiting to be written before {@code logOverflow} applies
   * @param tcpBridgePort    port of the TCP event-bus bridge, or {@code null} when it is off
   * @param pricesFile       the user's price table, laid over the built-in one; {@code null} when none
   * @param logOverflow      what a full log queue does to new entries
   * @param logMaxLagMillis  {@code /healthz} says degraded while the oldest entry waiting to be
   *                         written has waited longer than this
   */
  public record Monitoring(int logRetentionDays, long logRetentionRows, int logQueueSize, Integer tcpBridgePort,
                           Path pricesFile, LogOverflow logOverflow, long logMaxLagMillis, String nodeId) {

    public Monitoring {
      logOverflow = logOverflow == null ? LogOverflow.BACKPRESSURE : logOverflow;
    }

    /** Labelled with this machine's host name in Prometheus' {@code node} label. */
    public Monitoring(int logRetentionDays, long logRetentionRows, int logQueueSize, Integer tcpBridgePort,
                      Path pricesFile, LogOverflow logOverflow, long logMaxLagMillis) {
      this(logRetentionDays, logRetentionRows, logQueueSize, tcpBridgePort, pricesFile, logOverflow, logMaxLagMillis,
          null);
    }

    /** With back-pressure on a full queue and 5 s of tolerated lag. */
    public Monitoring(int logRetentionDays, long logRetentionRows, int logQueueSize, Integer tcpBridgePort,
                      Path pricesFile) {
      this(logRetentionDays, logRetentionRows, logQueueSize, tcpBridgePort, pricesFile, LogOverflow.BACKPRESSURE,
          5_000);
    }

    public static Monitoring defaults() {
      return new Monitoring(30, 1_000_000, 50_000, null, null);
    }

    public Monitoring withLogOverflow(LogOverflow value, long maxLagMillis) {
      return new Monitoring(logRetentionDays, logRetentionRows, logQueueSize, tcpBridgePort, pricesFile, value,
          maxLagMillis, nodeId);
    }

    /** @param value Prometheus' {@code node} label; {@code null}: the host name */
    public Monitoring withNodeId(String value) {
      return new Monitoring(logRetentionDays, logRetentionRows, logQueueSize, tcpBridgePort, pricesFile, logOverflow,
          logMaxLagMillis, value);
    }
  }

  /** What a full log queue does to new entries. */
  public enum LogOverflow {
    /** The proxies hold new requests until the writer catches up (for a while at most); nothing is lost. */
    BACKPRESSURE,
    /** New entries are dropped and counted; a proxy never waits for its log. */
    DROP
  }

  public FaultlineConfig withMonitoring(Monitoring value) {
    return new FaultlineConfig(host, adminPort, dataDir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes,
        proxyInstances, value, trustedProxies, proxyDefaults, adminAllowedHosts, timeouts, auth, privateUpstreams, telemetry, store, cluster);
  }

  public FaultlineConfig withAdminPort(int port) {
    return new FaultlineConfig(host, port, dataDir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes, proxyInstances,
        monitoring, trustedProxies, proxyDefaults, adminAllowedHosts, timeouts, auth, privateUpstreams, telemetry, store, cluster);
  }

  public FaultlineConfig withDemoPort(Integer port) {
    return new FaultlineConfig(host, adminPort, dataDir, pluginsDir, port, portRangeFrom, portRangeTo, maxBodyBytes, proxyInstances,
        monitoring, trustedProxies, proxyDefaults, adminAllowedHosts, timeouts, auth, privateUpstreams, telemetry, store, cluster);
  }

  public FaultlineConfig withDataDir(Path dir) {
    return new FaultlineConfig(host, adminPort, dir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes, proxyInstances,
        monitoring, trustedProxies, proxyDefaults, adminAllowedHosts, timeouts, auth, privateUpstreams, telemetry, store, cluster);
  }

  public FaultlineConfig withPluginsDir(Path dir) {
    return new FaultlineConfig(host, adminPort, dataDir, dir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes, proxyInstances,
        monitoring, trustedProxies, proxyDefaults, adminAllowedHosts, timeouts, auth, privateUpstreams, telemetry, store, cluster);
  }

  public FaultlineConfig withPortRange(int from, int to) {
    return new FaultlineConfig(host, adminPort, dataDir, pluginsDir, demoPort, from, to, maxBodyBytes, proxyInstances,
        monitoring, trustedProxies, proxyDefaults, adminAllowedHosts, timeouts, auth, privateUpstreams, telemetry, store, cluster);
  }

  public FaultlineConfig withTrustedProxies(List<String> value) {
    return new FaultlineConfig(host, adminPort, dataDir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes,
        proxyInstances, monitoring, value, proxyDefaults, adminAllowedHosts, timeouts, auth, privateUpstreams, telemetry, store, cluster);
  }

  public FaultlineConfig withProxyDefaults(JsonObject value) {
    return new FaultlineConfig(host, adminPort, dataDir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes,
        proxyInstances, monitoring, trustedProxies, value, adminAllowedHosts, timeouts, auth, privateUpstreams, telemetry, store, cluster);
  }

  public FaultlineConfig withAdminAllowedHosts(List<String> value) {
    return new FaultlineConfig(host, adminPort, dataDir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes,
        proxyInstances, monitoring, trustedProxies, proxyDefaults, value, timeouts, auth, privateUpstreams, telemetry, store, cluster);
  }

  public FaultlineConfig withTimeouts(ConnectionTimeouts value) {
    return new FaultlineConfig(host, adminPort, dataDir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes,
        proxyInstances, monitoring, trustedProxies, proxyDefaults, adminAllowedHosts, value, auth, privateUpstreams, telemetry, store, cluster);
  }

  public FaultlineConfig withAuth(AuthSettings value) {
    return new FaultlineConfig(host, adminPort, dataDir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes,
        proxyInstances, monitoring, trustedProxies, proxyDefaults, adminAllowedHosts, timeouts, value, privateUpstreams, telemetry, store, cluster);
  }

  public FaultlineConfig withPrivateUpstreams(PrivateUpstreams value) {
    return new FaultlineConfig(host, adminPort, dataDir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes,
        proxyInstances, monitoring, trustedProxies, proxyDefaults, adminAllowedHosts, timeouts, auth, value, telemetry, store, cluster);
  }

  public FaultlineConfig withTelemetry(Telemetry value) {
    return new FaultlineConfig(host, adminPort, dataDir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes,
        proxyInstances, monitoring, trustedProxies, proxyDefaults, adminAllowedHosts, timeouts, auth, privateUpstreams,
        value, store, cluster);
  }

  public FaultlineConfig withCluster(ClusterSettings value) {
    return new FaultlineConfig(host, adminPort, dataDir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes,
        proxyInstances, monitoring, trustedProxies, proxyDefaults, adminAllowedHosts, timeouts, auth, privateUpstreams,
        telemetry, store, value);
  }

  public FaultlineConfig withStore(Store value) {
    return new FaultlineConfig(host, adminPort, dataDir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes,
        proxyInstances, monitoring, trustedProxies, proxyDefaults, adminAllowedHosts, timeouts, auth, privateUpstreams,
        telemetry, value, cluster);
  }

  /**
   * Traces of proxied calls, sent over OTLP (HTTP, protobuf).
   *
   * @param otlpEndpoint where to send them, e.g. {@code http://localhost:4318}; {@code null} keeps tracing off
   * @param serviceName  the {@code service.name} the spans carry
   */
  public record Telemetry(String otlpEndpoint, String serviceName) {

    public Telemetry {
      serviceName = serviceName == null || serviceName.isBlank() ? "faultline" : serviceName;
      otlpEndpoint = otlpEndpoint == null || otlpEndpoint.isBlank() ? null : otlpEndpoint;
    }

    public static Telemetry off() {
      return new Telemetry(null, null);
    }

    public boolean enabled() {
      return otlpEndpoint != null;
    }
  }

  public Path databaseFile() {
    return dataDir.resolve("faultline.db");
  }

  /** Where the stores live, the {@code store.url} setting resolved against the data folder. */
  public StoreLocation storeLocation() {
    return store.embeddedFile() ? StoreLocation.sqlite(databaseFile()) : store.location();
  }

  /**
   * The {@code store:} block. Its {@link #toString()} never shows the password.
   *
   * @param url      empty: the SQLite file {@code faultline.db} in the data folder; else a PostgreSQL URL
   * @param user     overrides a user in the URL
   * @param password overrides a password in the URL
   */
  public record Store(String url, String user, String password) {

    public Store {
      url = url == null ? "" : url.trim();
    }

    public static Store embedded() {
      return new Store("", null, null);
    }

    public boolean embeddedFile() {
      return url.isEmpty();
    }

    /** The PostgreSQL location; only when not {@link #embeddedFile()}. */
    public StoreLocation location() {
      return StoreLocation.postgresql(url, user, password);
    }

    @Override
    public String toString() {
      return embeddedFile() ? "Store[embedded SQLite]" : "Store[" + location() + "]";
    }
  }
}
