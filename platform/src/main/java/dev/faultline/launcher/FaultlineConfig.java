package dev.faultline.launcher;

import java.nio.file.Path;

/**
 * Every setting Faultline runs with, validated. Built by {@link ConfigLoader}; documented in
 * {@code config/faultline.yaml}.
 *
 * @param demoPort      the demo proxy's port, or {@code null} when the demo is off
 * @param portRangeFrom first port handed to proxies created without one
 * @param portRangeTo   last such port, inclusive
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
    int proxyInstances) {

  public FaultlineConfig withAdminPort(int port) {
    return new FaultlineConfig(host, port, dataDir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes, proxyInstances);
  }

  public FaultlineConfig withDemoPort(Integer port) {
    return new FaultlineConfig(host, adminPort, dataDir, pluginsDir, port, portRangeFrom, portRangeTo, maxBodyBytes, proxyInstances);
  }

  public FaultlineConfig withDataDir(Path dir) {
    return new FaultlineConfig(host, adminPort, dir, pluginsDir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes, proxyInstances);
  }

  public FaultlineConfig withPluginsDir(Path dir) {
    return new FaultlineConfig(host, adminPort, dataDir, dir, demoPort, portRangeFrom, portRangeTo, maxBodyBytes, proxyInstances);
  }

  public FaultlineConfig withPortRange(int from, int to) {
    return new FaultlineConfig(host, adminPort, dataDir, pluginsDir, demoPort, from, to, maxBodyBytes, proxyInstances);
  }

  public Path databaseFile() {
    return dataDir.resolve("faultline.db");
  }
}
