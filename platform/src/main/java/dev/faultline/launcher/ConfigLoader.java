package dev.faultline.launcher;

import dev.faultline.api.AllowedHosts;
import dev.faultline.auth.AuthSettings;
import dev.faultline.cluster.ClusterSettings;
import dev.faultline.ipfilter.IpRule;
import dev.faultline.proxy.upstream.UpstreamPolicy.PrivateUpstreams;
import dev.faultline.server.ConnectionTimeouts;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads the configuration: the defaults shipped inside the jar (a copy of
 * {@code config/faultline.yaml}), then the user's file, then {@code FAULTLINE_*} variables.
 * Any bad value stops the start with a message naming the setting.
 */
public final class ConfigLoader {

  /** The one setting whose YAML mapping is a value of its own rather than nested settings. */
  private static final String PROXY_DEFAULTS = "proxies.defaults";

  private final Map<String, String> env;
  private final Path distDir;

  /**
   * @param env     the environment to read overrides from
   * @param distDir the folder holding faultline.jar, for the default plugins and config paths
   */
  public ConfigLoader(Map<String, String> env, Path distDir) {
    this.env = env;
    this.distDir = distDir;
  }

  public FaultlineConfig load() {
    Map<String, Object> settings = flatten(readDefaults());
    configFile().ifPresent(file -> settings.putAll(flatten(read(file))));
    return fromSettings(settings);
  }

  /** The user's file, if one exists where we look. */
  Optional<Path> configFile() {
    String explicit = env.get("FAULTLINE_CONFIG");
    if (explicit != null && !explicit.isBlank()) {
      Path file = Path.of(explicit);
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("FAULTLINE_CONFIG: no such file: " + file.toAbsolutePath());
      }
      return Optional.of(file);
    }
    return List.of(distDir.resolve("config/faultline.yaml"), Path.of("config/faultline.yaml")).stream()
        .filter(Files::isRegularFile)
        .findFirst();
  }

  private FaultlineConfig fromSettings(Map<String, Object> s) {
    String host = text(s, "server.host", "FAULTLINE_HOST");
    int adminPort = port(s, "server.admin_port", "FAULTLINE_ADMIN_PORT", true);
    Path dataDir = Path.of(text(s, "data_dir", "FAULTLINE_DATA_DIR"));
    String plugins = text(s, "plugins_dir", "FAULTLINE_PLUGINS_DIR");
    Path pluginsDir = plugins.isBlank() ? distDir.resolve("plugins") : Path.of(plugins);
    String demo = text(s, "demo.port", "FAULTLINE_DEMO_PORT");
    Integer demoPort = demo.equalsIgnoreCase("off") || demo.equalsIgnoreCase("false")
        ? null : parse("demo.port", "FAULTLINE_DEMO_PORT", demo, v -> checkPort(Integer.parseInt(v), false));
    String range = text(s, "proxies.port_range", "FAULTLINE_PROXY_PORTS");
    int[] ports = parse("proxies.port_range", "FAULTLINE_PROXY_PORTS", range, ConfigLoader::portRange);
    long maxBody = parse("proxies.max_body_bytes", "FAULTLINE_MAX_BODY_BYTES",
        text(s, "proxies.max_body_bytes", "FAULTLINE_MAX_BODY_BYTES"), v -> positive(Long.parseLong(v)));
    int instances = parse("proxies.instances", "FAULTLINE_PROXY_INSTANCES",
        text(s, "proxies.instances", "FAULTLINE_PROXY_INSTANCES"), v -> (int) nonNegative(Integer.parseInt(v)));
    if (instances == 0) {
      instances = Runtime.getRuntime().availableProcessors();
    }
    FaultlineConfig.Store store = store(s);
    return new FaultlineConfig(host, adminPort, dataDir, pluginsDir, demoPort, ports[0], ports[1], maxBody, instances,
        monitoring(s), trustedProxies(s), proxyDefaults(s), adminAllowedHosts(s), timeouts(s), auth(s),
        privateUpstreams(s), telemetry(s), store, cluster(s, store));
  }

  /**
   * The {@code store:} block, its URL checked now so a typo stops the start with the setting's
   * name. Unlike other settings, the value is not repeated in the message: it may hold a password.
   */
  private FaultlineConfig.Store store(Map<String, Object> s) {
    String url = optional(s, "store.url", "FAULTLINE_STORE_URL");
    FaultlineConfig.Store store = new FaultlineConfig.Store(url, optional(s, "store.user", "FAULTLINE_STORE_USER"),
        optional(s, "store.password", "FAULTLINE_STORE_PASSWORD"));
    if (!store.embeddedFile()) {
      try {
        store.location();
      } catch (IllegalArgumentException e) {
        throw new ConfigException("store.url (FAULTLINE_STORE_URL): invalid value: " + e.getMessage());
      }
    }
    return store;
  }

  /**
   * The {@code cluster:} block; optional (older faultline.yaml files lack it). A clustered node
   * needs the shared store: SQLite, a file on one machine, is refused with why.
   */
  private ClusterSettings cluster(Map<String, Object> s, FaultlineConfig.Store store) {
    String enabledText = optional(s, "cluster.enabled", "FAULTLINE_CLUSTER_ENABLED");
    boolean enabled = enabledText != null && parse("cluster.enabled", "FAULTLINE_CLUSTER_ENABLED", enabledText,
        ConfigLoader::bool);
    String portText = optional(s, "cluster.port", "FAULTLINE_CLUSTER_PORT");
    int port = portText == null ? ClusterSettings.DEFAULT_PORT
        : parse("cluster.port", "FAULTLINE_CLUSTER_PORT", portText, v -> checkPort(Integer.parseInt(v), false));
    String busText = optional(s, "cluster.bus_port", "FAULTLINE_CLUSTER_BUS_PORT");
    int busPort = busText == null ? 0
        : parse("cluster.bus_port", "FAULTLINE_CLUSTER_BUS_PORT", busText, v -> checkPort(Integer.parseInt(v), true));
    List<String> members = list(s, "cluster.members", "FAULTLINE_CLUSTER_MEMBERS", ClusterSettings::checkMember);
    if (enabled && members.isEmpty()) {
      throw new ConfigException("cluster.members (FAULTLINE_CLUSTER_MEMBERS): a clustered node needs the list of "
          + "nodes to join through, host[:port], e.g. 10.0.0.1,10.0.0.2:5701 (multicast is not used)");
    }
    if (enabled && store.embeddedFile()) {
      throw new ConfigException(ClusterSettings.sqliteRefusal());
    }
    if (enabled && optional(s, "auth.session_secret", "FAULTLINE_SESSION_SECRET") == null) {
      throw new ConfigException("cluster.enabled (FAULTLINE_CLUSTER_ENABLED): set auth.session_secret "
          + "(FAULTLINE_SESSION_SECRET) to the same secret on every node: a node signs sessions with it, and a "
          + "load balancer sends the next request to any node, which must accept them");
    }
    return new ClusterSettings(enabled, members, port, optional(s, "cluster.host", "FAULTLINE_CLUSTER_HOST"),
        optional(s, "cluster.public_host", "FAULTLINE_CLUSTER_PUBLIC_HOST"), busPort);
  }

  /**
   * Faultline's own settings first; the standard {@code OTEL_EXPORTER_OTLP_ENDPOINT} and
   * {@code OTEL_SERVICE_NAME} only when they say nothing, so a deployment already set up for
   * OpenTelemetry traces without more.
   */
  private FaultlineConfig.Telemetry telemetry(Map<String, Object> s) {
    String endpoint = optional(s, "telemetry.otlp_endpoint", "FAULTLINE_OTLP_ENDPOINT");
    if (endpoint == null) {
      endpoint = blankToNull(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
    }
    if (endpoint != null) {
      endpoint = parse("telemetry.otlp_endpoint", "FAULTLINE_OTLP_ENDPOINT", endpoint, ConfigLoader::otlpEndpoint);
    }
    String service = optional(s, "telemetry.service_name", "FAULTLINE_SERVICE_NAME");
    return new FaultlineConfig.Telemetry(endpoint, service != null ? service : blankToNull(env.get("OTEL_SERVICE_NAME")));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static String otlpEndpoint(String raw) {
    URI uri = URI.create(raw);
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("must be an http:// or https:// URL such as http://localhost:4318");
    }
    return raw;
  }

  private AuthSettings auth(Map<String, Object> s) {
    String publicUrl = optional(s, "auth.public_url", "FAULTLINE_PUBLIC_URL");
    if (publicUrl != null) {
      publicUrl = parse("auth.public_url", "FAULTLINE_PUBLIC_URL", publicUrl, ConfigLoader::publicUrl);
    }
    long hours = parse("auth.session_hours", "FAULTLINE_SESSION_HOURS", text(s, "auth.session_hours",
        "FAULTLINE_SESSION_HOURS"), v -> positive(Long.parseLong(v)));
    String email = optional(s, "auth.admin_email", "FAULTLINE_ADMIN_EMAIL");
    String password = optional(s, "auth.admin_password", "FAULTLINE_ADMIN_PASSWORD");
    if ((email == null) != (password == null)) {
      throw new ConfigException("auth.admin_email (FAULTLINE_ADMIN_EMAIL) and auth.admin_password "
          + "(FAULTLINE_ADMIN_PASSWORD) go together: set both or neither");
    }
    String token = optional(s, "auth.admin_token", "FAULTLINE_ADMIN_TOKEN");
    if (token != null && (email == null || !token.startsWith("flt_") || token.length() < 36)) {
      throw new ConfigException("auth.admin_token (FAULTLINE_ADMIN_TOKEN): needs auth.admin_email too, and must be "
          + "'flt_' followed by at least 32 random characters");
    }
    boolean registration = parse("auth.registration", "FAULTLINE_REGISTRATION",
        text(s, "auth.registration", "FAULTLINE_REGISTRATION"), ConfigLoader::bool);
    boolean metricsOpen = parse("auth.metrics_open", "FAULTLINE_METRICS_OPEN",
        text(s, "auth.metrics_open", "FAULTLINE_METRICS_OPEN"), ConfigLoader::bool);
    return new AuthSettings(publicUrl, hours * 3600, optional(s, "auth.session_secret", "FAULTLINE_SESSION_SECRET"),
        email, password, token, registration, metricsOpen, smtp(s), oauth(s));
  }

  /**
   * The social sign-in providers: the list under {@code auth.oauth}, or the ids named in
   * {@code FAULTLINE_OAUTH} (comma-separated). Any field of provider {@code <id>} may come from
   * {@code FAULTLINE_OAUTH_<ID>_<FIELD>} instead, so the client secret can stay out of the file.
   */
  private List<AuthSettings.OAuthProvider> oauth(Map<String, Object> s) {
    List<Map<?, ?>> entries = new ArrayList<>();
    String named = env.get("FAULTLINE_OAUTH");
    if (named != null) {
      for (String id : named.split(",")) {
        if (!id.isBlank()) {
          entries.add(Map.of("id", id.trim()));
        }
      }
    } else if (s.get("auth.oauth") instanceof List<?> list) {
      for (Object item : list) {
        if (!(item instanceof Map<?, ?> entry)) {
          throw new ConfigException("auth.oauth: each provider is a mapping {id, kind, client_id, client_secret, "
              + "issuer}, not '" + item + "'");
        }
        entries.add(entry);
      }
    } else if (s.get("auth.oauth") != null && !String.valueOf(s.get("auth.oauth")).isBlank()) {
      throw new ConfigException("auth.oauth: expected a list of providers, e.g. [{id: github, client_id: …, "
          + "client_secret: …}]");
    }
    List<AuthSettings.OAuthProvider> providers = new ArrayList<>();
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (Map<?, ?> entry : entries) {
      Object rawId = entry.get("id");
      String id = rawId == null ? "" : String.valueOf(rawId).trim();
      if (!id.matches("[a-z0-9][a-z0-9_-]{0,31}")) {
        throw new ConfigException("auth.oauth: id '" + id + "' (FAULTLINE_OAUTH): lower-case letters, digits, - and _, "
            + "at most 32; it is part of the callback URL");
      }
      if (!ids.add(id)) {
        throw new ConfigException("auth.oauth: the id '" + id + "' is used twice");
      }
      providers.add(oauthProvider(id, entry));
    }
    return providers;
  }

  private AuthSettings.OAuthProvider oauthProvider(String id, Map<?, ?> entry) {
    String prefix = "FAULTLINE_OAUTH_" + id.toUpperCase(Locale.ROOT).replace('-', '_') + "_";
    Function<String, String> field = name -> {
      String fromEnv = env.get(prefix + name.toUpperCase(Locale.ROOT));
      Object value = fromEnv != null ? fromEnv : entry.get(name);
      String text = value == null ? "" : String.valueOf(value).trim();
      return text.isEmpty() ? null : text;
    };
    String key = "auth.oauth." + id + ".";
    String kind = Optional.ofNullable(field.apply("kind"))
        .orElse(id.equals("github") || id.equals("google") ? id : "oidc").toLowerCase(Locale.ROOT);
    if (!List.of("github", "google", "oidc").contains(kind)) {
      throw new ConfigException(key + "kind (" + prefix + "KIND): invalid value '" + kind + "': github, google or oidc");
    }
    String name = Optional.ofNullable(field.apply("name"))
        .orElse(kind.equals("github") ? "GitHub" : kind.equals("google") ? "Google" : id);
    for (String required : List.of("client_id", "client_secret")) {
      if (field.apply(required) == null) {
        throw new ConfigException(key + required + " (" + prefix + required.toUpperCase(Locale.ROOT) + "): missing; "
            + "the provider gives it when you register Faultline there");
      }
    }
    String issuer = field.apply("issuer");
    if (issuer != null) {
      issuer = parse(key + "issuer", prefix + "ISSUER", issuer, ConfigLoader::publicUrl);
    } else if (kind.equals("oidc")) {
      throw new ConfigException(key + "issuer (" + prefix + "ISSUER): missing; an OpenID Connect provider is found "
          + "through its issuer URL (where /.well-known/openid-configuration is)");
    }
    if (kind.equals("google") && issuer != null && !issuer.equals("https://accounts.google.com")) {
      throw new ConfigException(key + "issuer (" + prefix + "ISSUER): Google's is https://accounts.google.com; "
          + "leave it out, or use kind: oidc for another provider");
    }
    return new AuthSettings.OAuthProvider(id, name, kind, field.apply("client_id"), field.apply("client_secret"),
        issuer);
  }

  /** The SMTP server for the account mails; {@code null} (mails go to the log) when no host is set. */
  private AuthSettings.Smtp smtp(Map<String, Object> s) {
    String host = optional(s, "auth.smtp.host", "FAULTLINE_SMTP_HOST");
    if (host == null) {
      return null;
    }
    int port = port(s, "auth.smtp.port", "FAULTLINE_SMTP_PORT", false);
    String from = optional(s, "auth.smtp.from", "FAULTLINE_SMTP_FROM");
    if (from == null) {
      throw new ConfigException("auth.smtp.from (FAULTLINE_SMTP_FROM): required when auth.smtp.host is set: the "
          + "address the mails come from, e.g. faultline@example.com");
    }
    parse("auth.smtp.from", "FAULTLINE_SMTP_FROM", from, ConfigLoader::mailAddress);
    String username = optional(s, "auth.smtp.username", "FAULTLINE_SMTP_USERNAME");
    String password = optional(s, "auth.smtp.password", "FAULTLINE_SMTP_PASSWORD");
    if (password != null && username == null) {
      throw new ConfigException("auth.smtp.password (FAULTLINE_SMTP_PASSWORD): needs auth.smtp.username "
          + "(FAULTLINE_SMTP_USERNAME) too");
    }
    String starttls = parse("auth.smtp.starttls", "FAULTLINE_SMTP_STARTTLS",
        text(s, "auth.smtp.starttls", "FAULTLINE_SMTP_STARTTLS"), ConfigLoader::starttls);
    boolean ssl = parse("auth.smtp.ssl", "FAULTLINE_SMTP_SSL", text(s, "auth.smtp.ssl", "FAULTLINE_SMTP_SSL"),
        ConfigLoader::bool);
    return new AuthSettings.Smtp(host, port, username, password, from, starttls, ssl);
  }

  private static String mailAddress(String raw) {
    if (!raw.matches("[^@\\s<>]+@[^@\\s<>]+|[^<>]*<[^@\\s<>]+@[^@\\s<>]+>")) {
      throw new IllegalArgumentException("an email address, e.g. faultline@example.com or Faultline <faultline@example.com>");
    }
    return raw;
  }

  private static String starttls(String raw) {
    String value = raw.toLowerCase(Locale.ROOT);
    if (!List.of("required", "optional", "disabled").contains(value)) {
      throw new IllegalArgumentException("required, optional or disabled");
    }
    return value;
  }

  /** A text setting that may be left empty; {@code null} when it is. */
  private String optional(Map<String, Object> settings, String key, String envName) {
    String fromEnv = env.get(envName);
    Object value = fromEnv != null ? fromEnv : settings.get(key);
    String text = value == null ? "" : String.valueOf(value).trim();
    return text.isEmpty() ? null : text;
  }

  private static boolean bool(String raw) {
    if (raw.equalsIgnoreCase("true") || raw.equalsIgnoreCase("on")) {
      return true;
    }
    if (raw.equalsIgnoreCase("false") || raw.equalsIgnoreCase("off")) {
      return false;
    }
    throw new IllegalArgumentException("true or false");
  }

  private static String publicUrl(String raw) {
    URI uri = URI.create(raw);
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("an http(s) address such as https://faultline.example.com");
    }
    return raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
  }

  private ConnectionTimeouts timeouts(Map<String, Object> s) {
    return new ConnectionTimeouts(
        seconds(s, "server.idle_timeout_seconds", "FAULTLINE_IDLE_TIMEOUT"),
        seconds(s, "server.request_read_timeout_seconds", "FAULTLINE_REQUEST_READ_TIMEOUT"),
        seconds(s, "server.shutdown_grace_seconds", "FAULTLINE_SHUTDOWN_GRACE"));
  }

  /** A duration in seconds, fractions allowed (0.5), not negative; in milliseconds. */
  private long seconds(Map<String, Object> settings, String key, String envName) {
    return parse(key, envName, text(settings, key, envName), v -> {
      double value = Double.parseDouble(v);
      if (!(value >= 0) || value > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("must be a number of seconds, 0 or more");
      }
      return Math.round(value * 1000);
    });
  }

  /**
   * A YAML mapping or, from the variable, a JSON object of feature blocks. Only its shape is
   * checked here; each block's own rules are checked at start, where the blocks are known.
   */
  private JsonObject proxyDefaults(Map<String, Object> settings) {
    String envName = "FAULTLINE_PROXY_DEFAULTS";
    String raw = env.get(envName);
    try {
      Object value = raw != null ? (raw.isBlank() ? null : Json.decodeValue(raw)) : settings.get(PROXY_DEFAULTS);
      if (value == null) {
        return new JsonObject();
      }
      if (value instanceof JsonObject object) {
        return object;
      }
      if (value instanceof Map<?, ?> map) {
        // Through JSON text, so that nested YAML maps and lists become JsonObjects and JsonArrays.
        return new JsonObject(Json.encode(map));
      }
      throw new IllegalArgumentException("expected a mapping of feature blocks, e.g. {cache: {enabled: true}}");
    } catch (RuntimeException e) {
      throw new ConfigException(PROXY_DEFAULTS + " (" + envName + "): invalid value '"
          + (raw != null ? raw : settings.get(PROXY_DEFAULTS)) + "': " + e.getMessage());
    }
  }

  /** A YAML list or, from the variable, a comma-separated list; each rule is checked. */
  private PrivateUpstreams privateUpstreams(Map<String, Object> settings) {
    return parse("proxies.private_upstreams", "FAULTLINE_PRIVATE_UPSTREAMS",
        text(settings, "proxies.private_upstreams", "FAULTLINE_PRIVATE_UPSTREAMS"), PrivateUpstreams::parse);
  }

  private List<String> trustedProxies(Map<String, Object> settings) {
    return list(settings, "proxies.trusted_proxies", "FAULTLINE_TRUSTED_PROXIES", IpRule::parse);
  }

  /** Names the admin server answers to besides the loopback ones and its bound address. */
  private List<String> adminAllowedHosts(Map<String, Object> settings) {
    return list(settings, "admin.allowed_hosts", "FAULTLINE_ADMIN_ALLOWED_HOSTS", AllowedHosts::parse);
  }

  /** A YAML list or, from the variable, a comma-separated list; {@code check} refuses a bad item. */
  private List<String> list(Map<String, Object> settings, String key, String envName, Consumer<String> check) {
    Object value = env.containsKey(envName) ? env.get(envName) : settings.get(key);
    List<String> items = new ArrayList<>();
    if (value instanceof List<?> list) {
      list.forEach(item -> items.add(String.valueOf(item).trim()));
    } else if (value != null) {
      for (String item : String.valueOf(value).split(",")) {
        if (!item.isBlank()) {
          items.add(item.trim());
        }
      }
    }
    for (String item : items) {
      try {
        check.accept(item);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key + " (" + envName + "): " + e.getMessage());
      }
    }
    return items;
  }

  private FaultlineConfig.Monitoring monitoring(Map<String, Object> s) {
    int days = parse("monitoring.log_retention_days", "FAULTLINE_LOG_RETENTION_DAYS",
        text(s, "monitoring.log_retention_days", "FAULTLINE_LOG_RETENTION_DAYS"),
        v -> (int) nonNegative(Integer.parseInt(v)));
    long rows = parse("monitoring.log_retention_rows", "FAULTLINE_LOG_RETENTION_ROWS",
        text(s, "monitoring.log_retention_rows", "FAULTLINE_LOG_RETENTION_ROWS"), v -> nonNegative(Long.parseLong(v)));
    int queue = parse("monitoring.log_queue_size", "FAULTLINE_LOG_QUEUE_SIZE",
        text(s, "monitoring.log_queue_size", "FAULTLINE_LOG_QUEUE_SIZE"), v -> (int) positive(Integer.parseInt(v)));
    String bridge = text(s, "monitoring.tcp_bridge_port", "FAULTLINE_TCP_BRIDGE_PORT");
    Integer bridgePort = bridge.equalsIgnoreCase("off") || bridge.equalsIgnoreCase("false") ? null
        : parse("monitoring.tcp_bridge_port", "FAULTLINE_TCP_BRIDGE_PORT", bridge, v -> checkPort(Integer.parseInt(v), true));
    String overflow = text(s, "monitoring.on_overflow", "FAULTLINE_ON_OVERFLOW");
    FaultlineConfig.LogOverflow onOverflow = parse("monitoring.on_overflow", "FAULTLINE_ON_OVERFLOW", overflow, v -> {
      try {
        return FaultlineConfig.LogOverflow.valueOf(v.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("must be backpressure or drop");
      }
    });
    long maxLag = seconds(s, "monitoring.log_max_lag_seconds", "FAULTLINE_LOG_MAX_LAG");
    return new FaultlineConfig.Monitoring(days, rows, queue, bridgePort, pricesFile(s).orElse(null), onOverflow, maxLag,
        nodeId(s));
  }

  /** Prometheus' {@code node} label; optional (older faultline.yaml files lack it): empty means the host name. */
  private String nodeId(Map<String, Object> settings) {
    String fromEnv = env.get("FAULTLINE_NODE_ID");
    Object value = fromEnv != null ? fromEnv : settings.get("monitoring.node_id");
    String id = value == null ? "" : String.valueOf(value).trim();
    return id.isEmpty() ? null : id;
  }

  /** The user's price table: the one named, else one found where faultline.yaml is looked for. */
  private Optional<Path> pricesFile(Map<String, Object> settings) {
    String named = text(settings, "monitoring.prices_file", "FAULTLINE_PRICES");
    if (!named.isBlank()) {
      Path file = Path.of(named);
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("monitoring.prices_file (FAULTLINE_PRICES): no such file: " + file.toAbsolutePath());
      }
      return Optional.of(file);
    }
    return List.of(distDir.resolve("config/prices.yaml"), Path.of("config/prices.yaml")).stream()
        .filter(Files::isRegularFile)
        .findFirst();
  }

  private String text(Map<String, Object> settings, String key, String envName) {
    String fromEnv = env.get(envName);
    if (fromEnv != null) {
      return fromEnv.trim();
    }
    Object value = settings.get(key);
    if (value == null) {
      throw new ConfigException(key + ": missing (set it in faultline.yaml or " + envName + ")");
    }
    return String.valueOf(value).trim();
  }

  private int port(Map<String, Object> settings, String key, String envName, boolean zeroAllowed) {
    return parse(key, envName, text(settings, key, envName), v -> checkPort(Integer.parseInt(v), zeroAllowed));
  }

  private static <T> T parse(String key, String envName, String raw, Function<String, T> parser) {
    try {
      return parser.apply(raw);
    } catch (RuntimeException e) {
      String why = e instanceof NumberFormatException ? "not a number" : e.getMessage();
      throw new ConfigException(key + " (" + envName + "): invalid value '" + raw + "': " + why);
    }
  }

  private static int checkPort(int port, boolean zeroAllowed) {
    if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
      throw new IllegalArgumentException("a port is between 1 and 65535");
    }
    return port;
  }

  private static int[] portRange(String raw) {
    String[] parts = raw.split("-");
    if (parts.length != 2) {
      throw new IllegalArgumentException("expected FROM-TO, e.g. 9001-9099");
    }
    int from = checkPort(Integer.parseInt(parts[0].trim()), false);
    int to = checkPort(Integer.parseInt(parts[1].trim()), false);
    if (from > to) {
      throw new IllegalArgumentException("FROM must not be above TO");
    }
    return new int[] {from, to};
  }

  private static long positive(long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("must be positive");
    }
    return value;
  }

  private static long nonNegative(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("must not be negative");
    }
    return value;
  }

  private static Map<String, Object> readDefaults() {
    try (InputStream in = ConfigLoader.class.getResourceAsStream("/faultline.yaml")) {
      if (in == null) {
        throw new IllegalStateException("faultline.yaml is missing from the jar");
      }
      return new Yaml().load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the built-in defaults", e);
    }
  }

  private static Map<String, Object> read(Path file) {
    try (Reader reader = Files.newBufferedReader(file)) {
      Object loaded = new Yaml().load(reader);
      if (loaded == null) {
        return Map.of();
      }
      if (!(loaded instanceof Map<?, ?> map)) {
        throw new ConfigException(file + ": expected a mapping of settings at the top level");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> settings = (Map<String, Object>) map;
      return settings;
    } catch (IOException | RuntimeException e) {
      if (e instanceof ConfigException c) {
        throw c;
      }
      throw new ConfigException(file + ": cannot read: " + e.getMessage());
    }
  }

  /** {@code {server: {host: x}}} becomes {@code {"server.host": x}}. */
  private static Map<String, Object> flatten(Map<String, Object> tree) {
    Map<String, Object> flat = new LinkedHashMap<>();
    flattenInto("", tree, flat);
    return flat;
  }

  private static void flattenInto(String prefix, Map<?, ?> tree, Map<String, Object> flat) {
    tree.forEach((key, value) -> {
      String name = prefix + key;
      if (value instanceof Map<?, ?> nested && !name.equals(PROXY_DEFAULTS)) {
        flattenInto(name + ".", nested, flat);
      } else {
        flat.put(name, value);
      }
    });
  }

  /** A setting is wrong; the message names it. */
  public static final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
      super(message);
    }
  }
}
