package dev.faultline.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.FaultlineHarness;
import dev.faultline.cluster.ClusterSettings;
import dev.faultline.launcher.ConfigLoader.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cluster:} block: off by default, read from the file and the variables, and refused on SQLite. */
@ExtendWith(VertxExtension.class)
class ClusterConfigTest {

  private static final String STORE = "FAULTLINE_STORE_URL";
  private static final String POSTGRES = "jdbc:postgresql://db.internal:5432/faultline";
  private static final String SECRET = "FAULTLINE_SESSION_SECRET";
  private static final String SHARED_SECRET = "the-same-32-byte-secret-on-every-node";

  @TempDir
  Path dist;

  @Test
  void aNodeIsNotClusteredByDefault() {
    ClusterSettings cluster = load(Map.of()).cluster();
    assertFalse(cluster.enabled());
    assertEquals(ClusterSettings.DEFAULT_PORT, cluster.port());
    assertEquals(List.of(), cluster.members());
  }

  @Test
  void theFileAndThenTheVariables() throws IOException {
    Path file = Files.writeString(dist.resolve("user.yaml"), """
        cluster:
          enabled: true
          members: [10.0.0.1, "10.0.0.2:5702"]
          port: 5710
          host: 10.0.0.1
          public_host: faultline-1.internal
          bus_port: 5800
        """);
    ClusterSettings fromFile = load(Map.of("FAULTLINE_CONFIG", file.toString(), STORE, POSTGRES, SECRET,
        SHARED_SECRET)).cluster();
    assertEquals(new ClusterSettings(true, List.of("10.0.0.1", "10.0.0.2:5702"), 5710, "10.0.0.1",
        "faultline-1.internal", 5800), fromFile);
    ClusterSettings fromEnv = load(Map.of("FAULTLINE_CONFIG", file.toString(), STORE, POSTGRES, SECRET, SHARED_SECRET,
        "FAULTLINE_CLUSTER_MEMBERS", "a.internal,b.internal:6000", "FAULTLINE_CLUSTER_PORT", "6001",
        "FAULTLINE_CLUSTER_HOST", "", "FAULTLINE_CLUSTER_PUBLIC_HOST", "")).cluster();
    assertEquals(new ClusterSettings(true, List.of("a.internal", "b.internal:6000"), 6001, null, null, 5800), fromEnv);
  }

  @Test
  void aClusteredNodeRefusesSqliteAndSaysWhy() {
    ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_CLUSTER_ENABLED", "true",
        "FAULTLINE_CLUSTER_MEMBERS", "10.0.0.1")));
    assertTrue(e.getMessage().contains("SQLite is a file on one machine"), e.getMessage());
    assertTrue(e.getMessage().contains("store.url (FAULTLINE_STORE_URL)"), e.getMessage());
  }

  @Test
  void aClusteredNodeNeedsTheSessionSecretEveryNodeShares() {
    ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_CLUSTER_ENABLED", "true",
        "FAULTLINE_CLUSTER_MEMBERS", "10.0.0.1", STORE, POSTGRES)));
    assertTrue(e.getMessage().contains("auth.session_secret (FAULTLINE_SESSION_SECRET)"), e.getMessage());
  }

  @Test
  void badClusterSettingsAreRefusedByName() {
    ConfigException noMembers = assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_CLUSTER_ENABLED",
        "true", STORE, POSTGRES)));
    assertTrue(noMembers.getMessage().startsWith("cluster.members (FAULTLINE_CLUSTER_MEMBERS)"), noMembers.getMessage());
    ConfigException badMember = assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_CLUSTER_ENABLED",
        "true", STORE, POSTGRES, SECRET, SHARED_SECRET, "FAULTLINE_CLUSTER_MEMBERS", "10.0.0.1:99999")));
    assertTrue(badMember.getMessage().contains("cluster.members (FAULTLINE_CLUSTER_MEMBERS)")
        && badMember.getMessage().contains("between 1 and 65535"), badMember.getMessage());
    ConfigException badPort = assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_CLUSTER_PORT", "x")));
    assertTrue(badPort.getMessage().startsWith("cluster.port (FAULTLINE_CLUSTER_PORT)"), badPort.getMessage());
    ConfigException badSwitch = assertThrows(ConfigException.class, () -> load(Map.of("FAULTLINE_CLUSTER_ENABLED",
        "maybe")));
    assertTrue(badSwitch.getMessage().startsWith("cluster.enabled (FAULTLINE_CLUSTER_ENABLED)"), badSwitch.getMessage());
  }

  @Test
  void faultlineRefusesAClusteredConfigurationOnAPlainVertxAndSqliteWithoutTheTestEscape(Vertx vertx) {
    FaultlineConfig base = FaultlineHarness.config(dist.resolve("data"));
    ClusterSettings cluster = new ClusterSettings(true, List.of("127.0.0.1"), ClusterSettings.DEFAULT_PORT, null, null,
        0);
    Throwable plain = assertThrows(Throwable.class, () -> FaultlineHarness.await(
        Faultline.start(vertx, base.withCluster(cluster))));
    assertTrue(String.valueOf(plain.getMessage()).contains("needs a clustered Vert.x"), String.valueOf(plain));
  }

  private FaultlineConfig load(Map<String, String> env) {
    return new ConfigLoader(new HashMap<>(env), dist).load();
  }
}
