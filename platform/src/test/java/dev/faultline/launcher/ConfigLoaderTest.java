package dev.faultline.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.auth.AuthSettings;
import dev.faultline.launcher.ConfigLoader.ConfigException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Built-in defaults, then the user's yaml, then FAULTLINE_* variables; bad values name the setting. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConfigLoaderTest {

  /** A user file that changes every setting, so each variable below must beat it. */
  static final String EVERY_SETTING = """
      server:
        host: 10.0.0.1
        admin_port: 8181
      data_dir: /var/lib/faultline
      plugins_dir: /opt/faultline/plugins
      demo:
        port: 9900
      proxies:
        port_range: 7000-7100
        max_body_bytes: 2048
        instances: 2
      """;

  @TempDir
  Path dist;

  @Test
  void defaultsComeFromTheShippedYaml() {
    FaultlineConfig config = load(Map.of());
    assertEquals("127.0.0.1", config.host());
    assertEquals(8080, config.adminPort());
    assertEquals(Integer.valueOf(9000), config.demoPort());
    assertEquals(Path.of("data"), config.dataDir());
    assertEquals(Path.of("data", "faultline.db"), config.databaseFile());
    assertEquals(dist.resolve("plugins"), config.pluginsDir(), "an empty plugins_dir means <dist>/plugins");
    assertEquals(9001, config.portRangeFrom());
    assertEquals(9099, config.portRangeTo());
    assertEquals(10_485_760L, config.maxBodyBytes());
    assertEquals(Runtime.getRuntime().availableProcessors(), config.proxyInstances(), "instances 0 means one per core");
  }

  @Test
  void theUsersFileNextToTheJarOverridesTheDefaults() throws IOException {
    write(dist.resolve("config/faultline.yaml"), """
        server:
          admin_port: 8181
        proxies:
          port_range: 7000-7100
        """);
    FaultlineConfig config = load(Map.of());
    assertEquals(8181, config.adminPort());
    assertEquals(7000, config.portRangeFrom());
    assertEquals(7100, config.portRangeTo());
    assertEquals("127.0.0.1", config.host(), "what the file does not set keeps its default");
    assertEquals(Integer.valueOf(9000), config.demoPort());
  }

  @Test
  void faultlineConfigNamesTheFileAndWinsOverTheOneNextToTheJar() throws IOException {
    write(dist.resolve("config/faultline.yaml"), "server: {admin_port: 8181}\n");
    Path own = write(dist.resolve("elsewhere/mine.yaml"), EVERY_SETTING);
    FaultlineConfig config = load(Map.of("FAULTLINE_CONFIG", own.toString()));
    assertEquals(new FaultlineConfig("10.0.0.1", 8181, Path.of("/var/lib/faultline"), Path.of("/opt/faultline/plugins"),
        9900, 7000, 7100, 2048, 2), config);
  }

  @Test
  void anEmptyUserFileKeepsTheDefaults() throws IOException {
    Path empty = write(dist.resolve("empty.yaml"), "# nothing set\n");
    assertEquals(load(Map.of()), load(Map.of("FAULTLINE_CONFIG", empty.toString())));
  }

  static Stream<Arguments> variables() {
    return Stream.of(
        variable("FAULTLINE_HOST", "0.0.0.0", FaultlineConfig::host, "0.0.0.0"),
        variable("FAULTLINE_ADMIN_PORT", "0", FaultlineConfig::adminPort, 0),
        variable("FAULTLINE_ADMIN_PORT", " 8282 ", FaultlineConfig::adminPort, 8282),
        variable("FAULTLINE_DATA_DIR", "/tmp/fl-data", FaultlineConfig::dataDir, Path.of("/tmp/fl-data")),
        variable("FAULTLINE_PLUGINS_DIR", "/tmp/fl-plugins", FaultlineConfig::pluginsDir, Path.of("/tmp/fl-plugins")),
        variable("FAULTLINE_DEMO_PORT", "9500", FaultlineConfig::demoPort, 9500),
        variable("FAULTLINE_DEMO_PORT", "off", FaultlineConfig::demoPort, null),
        variable("FAULTLINE_DEMO_PORT", "OFF", FaultlineConfig::demoPort, null),
        variable("FAULTLINE_DEMO_PORT", "false", FaultlineConfig::demoPort, null),
        variable("FAULTLINE_PROXY_PORTS", "10000-10010", c -> List.of(c.portRangeFrom(), c.portRangeTo()), List.of(10000, 10010)),
        variable("FAULTLINE_PROXY_PORTS", "9050-9050", c -> List.of(c.portRangeFrom(), c.portRangeTo()), List.of(9050, 9050)),
        variable("FAULTLINE_MAX_BODY_BYTES", "1024", FaultlineConfig::maxBodyBytes, 1024L),
        variable("FAULTLINE_PROXY_INSTANCES", "3", FaultlineConfig::proxyInstances, 3));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("variables")
  void eachVariableOverridesTheFile(String name, String value, Function<FaultlineConfig, Object> setting, Object expected)
      throws IOException {
    Path file = write(dist.resolve("user.yaml"), EVERY_SETTING);
    FaultlineConfig fileOnly = load(Map.of("FAULTLINE_CONFIG", file.toString()));
    FaultlineConfig withVariable = load(Map.of("FAULTLINE_CONFIG", file.toString(), name, value));
    assertEquals(expected, setting.apply(withVariable));
    assertNotEquals(expected, setting.apply(fileOnly), "the file alone sets another value");
  }

  @Test
  void anEmptyPluginsDirVariableMeansThePluginsFolderOfTheDist() throws IOException {
    Path file = write(dist.resolve("user.yaml"), EVERY_SETTING);
    FaultlineConfig config = load(Map.of("FAULTLINE_CONFIG", file.toString(), "FAULTLINE_PLUGINS_DIR", ""));
    assertEquals(dist.resolve("plugins"), config.pluginsDir());
  }

  @Test
  void offInTheFileTurnsTheDemoOff() throws IOException {
    // YAML 1.1 reads a bare off as the boolean false.
    Path file = write(dist.resolve("user.yaml"), "demo:\n  port: off\n");
    assertNull(load(Map.of("FAULTLINE_CONFIG", file.toString())).demoPort());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', textBlock = """
      FAULTLINE_ADMIN_PORT      | 70000     | server.admin_port
      FAULTLINE_ADMIN_PORT      | -1        | server.admin_port
      FAULTLINE_ADMIN_PORT      | abc       | server.admin_port
      FAULTLINE_DEMO_PORT       | 0         | demo.port
      FAULTLINE_DEMO_PORT       | 70000     | demo.port
      FAULTLINE_DEMO_PORT       | abc       | demo.port
      FAULTLINE_PROXY_PORTS     | 9100-9000 | proxies.port_range
      FAULTLINE_PROXY_PORTS     | 9100      | proxies.port_range
      FAULTLINE_PROXY_PORTS     | a-b       | proxies.port_range
      FAULTLINE_PROXY_PORTS     | 9000-70000| proxies.port_range
      FAULTLINE_MAX_BODY_BYTES  | 0         | proxies.max_body_bytes
      FAULTLINE_MAX_BODY_BYTES  | 1MB       | proxies.max_body_bytes
      FAULTLINE_PROXY_INSTANCES | -1        | proxies.instances
      """)
  void anInvalidVariableIsRefusedByName(String name, String value, String key) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of(name, value)));
    assertMentions(e, key, name, "'" + value + "'");
  }

  @Test
  void messagesSayWhatIsWrong() {
    assertMentions(assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_ADMIN_PORT", "abc"))), "not a number");
    assertMentions(assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_ADMIN_PORT", "70000"))), "65535");
    assertMentions(assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_PROXY_PORTS", "9100-9000"))),
        "FROM must not be above TO");
  }

  @Test
  void anInvalidValueInTheFileIsRefusedByName() throws IOException {
    Path file = write(dist.resolve("user.yaml"), "server:\n  admin_port: 70000\n");
    ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_CONFIG", file.toString())));
    assertMentions(e, "server.admin_port", "70000");
  }

  @Test
  void socialSignInProvidersComeFromTheFileWithSecretsFromTheEnvironment() throws IOException {
    Path file = write(dist.resolve("user.yaml"), """
        auth:
          oauth:
            - {id: github, client_id: gh-id, client_secret: in-file}
            - {id: corp, name: Corp SSO, issuer: "https://sso.example.com/realms/corp/", client_id: fl}
        """);
    List<AuthSettings.OAuthProvider> providers = load(Map.of("FAULTLINE_CONFIG", file.toString(),
        "FAULTLINE_OAUTH_CORP_CLIENT_SECRET", "from-env")).auth().oauth();
    assertEquals(List.of(
        new AuthSettings.OAuthProvider("github", "GitHub", "github", "gh-id", "in-file", null),
        new AuthSettings.OAuthProvider("corp", "Corp SSO", "oidc", "fl", "from-env", "https://sso.example.com/realms/corp")),
        providers);
    assertTrue(load(Map.of()).auth().oauth().isEmpty(), "none by default");
  }

  @Test
  void socialSignInProvidersFromTheEnvironmentAlone() {
    List<AuthSettings.OAuthProvider> providers = load(Map.of("FAULTLINE_OAUTH", "google, my-idp",
        "FAULTLINE_OAUTH_GOOGLE_CLIENT_ID", "g", "FAULTLINE_OAUTH_GOOGLE_CLIENT_SECRET", "gs",
        "FAULTLINE_OAUTH_MY_IDP_CLIENT_ID", "m", "FAULTLINE_OAUTH_MY_IDP_CLIENT_SECRET", "ms",
        "FAULTLINE_OAUTH_MY_IDP_ISSUER", "http://127.0.0.1:8180/realms/x", "FAULTLINE_OAUTH_MY_IDP_NAME", "Mine"))
        .auth().oauth();
    assertEquals(List.of(new AuthSettings.OAuthProvider("google", "Google", "google", "g", "gs", null),
        new AuthSettings.OAuthProvider("my-idp", "Mine", "oidc", "m", "ms", "http://127.0.0.1:8180/realms/x")), providers);
  }

  @Test
  void aBadSocialSignInProviderIsRefusedByNameWithoutItsSecret() {
    ConfigException missingIssuer = assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_OAUTH", "corp",
        "FAULTLINE_OAUTH_CORP_CLIENT_ID", "c", "FAULTLINE_OAUTH_CORP_CLIENT_SECRET", "canary-secret")));
    assertMentions(missingIssuer, "auth.oauth.corp.issuer", "FAULTLINE_OAUTH_CORP_ISSUER");
    assertFalse(missingIssuer.getMessage().contains("canary-secret"));
    assertMentions(assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_OAUTH", "github",
        "FAULTLINE_OAUTH_GITHUB_CLIENT_ID", "c"))), "auth.oauth.github.client_secret");
    assertMentions(assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_OAUTH", "github",
        "FAULTLINE_OAUTH_GITHUB_CLIENT_ID", "c", "FAULTLINE_OAUTH_GITHUB_CLIENT_SECRET", "s",
        "FAULTLINE_OAUTH_GITHUB_KIND", "facebook"))), "auth.oauth.github.kind", "facebook");
    assertMentions(assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_OAUTH", "Git Hub"))),
        "auth.oauth", "Git Hub");
  }

  @Test
  void aMissingConfigFileIsRefused() {
    Path missing = dist.resolve("no/such/faultline.yaml");
    ConfigException e = assertThrows(ConfigException.class,
        () -> load(Map.of("FAULTLINE_CONFIG", missing.toString())));
    assertMentions(e, "FAULTLINE_CONFIG", missing.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"- just\n- a list\n", "server: [unclosed\n"})
  void aFileThatIsNotAMappingOfSettingsIsRefusedByFileName(String content) throws IOException {
    Path file = write(dist.resolve("broken.yaml"), content);
    ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_CONFIG", file.toString())));
    assertMentions(e, file.toString());
  }

  @Test
  void aSettingBlankedInTheFileIsReportedMissing() throws IOException {
    Path file = write(dist.resolve("user.yaml"), "server:\n  admin_port:\n");
    ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_CONFIG", file.toString())));
    assertMentions(e, "server.admin_port", "FAULTLINE_ADMIN_PORT", "missing");
  }

  @Test
  void newProxyDefaultsAreEmptyUnlessSet() {
    assertEquals(new JsonObject(), load(Map.of()).proxyDefaults());
  }

  @Test
  void newProxyDefaultsAreOneValueNotNestedSettings() throws IOException {
    write(dist.resolve("config/faultline.yaml"), """
        proxies:
          defaults:
            cache: {enabled: true, ttl_seconds: 86400}
            ip: {block: [10.0.0.0/8]}
        """);
    assertEquals(new JsonObject("{\"cache\":{\"enabled\":true,\"ttl_seconds\":86400},"
        + "\"ip\":{\"block\":[\"10.0.0.0/8\"]}}"), load(Map.of()).proxyDefaults());
  }

  @Test
  void theNewProxyDefaultsVariableIsJsonAndWinsOverTheFile() throws IOException {
    write(dist.resolve("config/faultline.yaml"), "proxies:\n  defaults: {cache: {enabled: true}}\n");
    FaultlineConfig config = load(Map.of("FAULTLINE_PROXY_DEFAULTS", "{\"logging\":{\"enabled\":false}}"));
    assertEquals(new JsonObject().put("logging", new JsonObject().put("enabled", false)), config.proxyDefaults());
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"cache\":", "[1,2]", "true"})
  void newProxyDefaultsThatAreNotAnObjectAreRefusedByName(String value) {
    ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_PROXY_DEFAULTS", value)));
    assertMentions(e, "proxies.defaults", "FAULTLINE_PROXY_DEFAULTS", value);
  }

  @Test
  void withNoSmtpHostMailsGoToTheLog() {
    assertNull(load(Map.of()).auth().smtp());
    assertNull(load(Map.of("FAULTLINE_SMTP_FROM", "faultline@example.com")).auth().smtp(), "a From alone sends nothing");
  }

  @Test
  void smtpComesFromTheFileAndEachVariableWins() throws IOException {
    Path file = write(dist.resolve("user.yaml"), """
        auth:
          smtp:
            host: mail.example.com
            from: Faultline <faultline@example.com>
            username: faultline
            password: from-the-file
        """);
    AuthSettings.Smtp fromFile = load(Map.of("FAULTLINE_CONFIG", file.toString())).auth().smtp();
    assertEquals(new AuthSettings.Smtp("mail.example.com", 587, "faultline", "from-the-file",
        "Faultline <faultline@example.com>", "optional", false), fromFile);
    AuthSettings.Smtp fromVariables = load(Map.of("FAULTLINE_CONFIG", file.toString(),
        "FAULTLINE_SMTP_HOST", "smtp.example.org", "FAULTLINE_SMTP_PORT", "465", "FAULTLINE_SMTP_USERNAME", "ci",
        "FAULTLINE_SMTP_PASSWORD", "from-the-env", "FAULTLINE_SMTP_FROM", "ci@example.org",
        "FAULTLINE_SMTP_STARTTLS", "DISABLED", "FAULTLINE_SMTP_SSL", "true")).auth().smtp();
    assertEquals(new AuthSettings.Smtp("smtp.example.org", 465, "ci", "from-the-env", "ci@example.org", "disabled",
        true), fromVariables);
  }

  @Test
  void anSmtpHostWithoutAFromAddressIsRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_SMTP_HOST", "mail.example.com")));
    assertMentions(e, "auth.smtp.from", "FAULTLINE_SMTP_FROM", "required", "auth.smtp.host");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', textBlock = """
      FAULTLINE_SMTP_PORT     | 70000        | auth.smtp.port     | 65535
      FAULTLINE_SMTP_PORT     | 0            | auth.smtp.port     | 65535
      FAULTLINE_SMTP_PORT     | smtp         | auth.smtp.port     | not a number
      FAULTLINE_SMTP_STARTTLS | maybe        | auth.smtp.starttls | required, optional or disabled
      FAULTLINE_SMTP_SSL      | yes          | auth.smtp.ssl      | true or false
      FAULTLINE_SMTP_FROM     | faultline    | auth.smtp.from     | an email address
      FAULTLINE_SMTP_FROM     | a@b@c        | auth.smtp.from     | an email address
      """)
  void aBadSmtpValueIsRefusedByName(String name, String value, String key, String why) {
    Map<String, String> env = new HashMap<>(Map.of("FAULTLINE_SMTP_HOST", "mail.example.com",
        "FAULTLINE_SMTP_FROM", "faultline@example.com"));
    env.put(name, value);
    ConfigException e = assertThrows(ConfigException.class, () -> load(env));
    assertMentions(e, key, name, "'" + value + "'", why);
  }

  @Test
  void theSmtpPasswordIsNeverPrinted() {
    String canary = "smtp-canary-password-4711";
    FaultlineConfig config = load(Map.of("FAULTLINE_SMTP_HOST", "mail.example.com", "FAULTLINE_SMTP_FROM",
        "faultline@example.com", "FAULTLINE_SMTP_USERNAME", "faultline", "FAULTLINE_SMTP_PASSWORD", canary));
    assertEquals(canary, config.auth().smtp().password());
    assertFalse(config.toString().contains(canary), config.toString());
    ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_SMTP_HOST", "mail.example.com",
        "FAULTLINE_SMTP_FROM", "faultline@example.com", "FAULTLINE_SMTP_PASSWORD", canary)));
    assertMentions(e, "auth.smtp.password", "auth.smtp.username");
    assertFalse(e.getMessage().contains(canary), e.getMessage());
  }

  @Test
  void aBadStoreUrlStopsTheStartNamingTheSettingWithoutItsPassword() throws IOException {
    assertMentions(assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_STORE_URL", "mysql://db/faultline"))),
        "store.url", "FAULTLINE_STORE_URL", "expected jdbc:postgresql://");
    String canary = "store-canary-password-4711";
    ConfigException noHost = assertThrows(ConfigException.class,
        () -> load(Map.of("FAULTLINE_STORE_URL", "postgresql://faultline:" + canary + "@/faultline")));
    assertMentions(noHost, "store.url", "names no host");
    assertFalse(noHost.getMessage().contains(canary), noHost.getMessage());
    Path file = write(dist.resolve("store.yaml"), "store:\n  url: jdbc:postgresql://db:5432/\n");
    assertMentions(assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_CONFIG", file.toString()))),
        "store.url", "names no database");
  }

  private FaultlineConfig load(Map<String, String> env) {
    return new ConfigLoader(new HashMap<>(env), dist).load();
  }

  private static Arguments variable(String name, String value, Function<FaultlineConfig, Object> setting, Object expected) {
    return Arguments.of(name, value, setting, expected);
  }

  private static Path write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  private static void assertMentions(ConfigException e, String... fragments) {
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), "the message should mention '" + fragment + "': " + e.getMessage());
    }
  }
}
