package dev.faultline.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The Micrometer registry {@code /metrics} shows. Built by {@link #vertx} for the launcher's Vert.x,
 * which then also counts its event loops, HTTP servers and client pools in it; a Vert.x built
 * without metrics (an embedding application, the tests) gets a registry of its own with the JVM's
 * and Faultline's series. Every series carries a {@code node} label, ready for several nodes.
 */
public final class PrometheusMetrics {

  /** The name the launcher's registry is known by to vertx-micrometer-metrics. */
  static final String REGISTRY = "faultline";

  private PrometheusMetrics() {
  }

  /**
   * A Vert.x whose metrics (HTTP server and client, pools, JVM; not the event bus) go to the registry
   * {@code /metrics} shows.
   *
   * @param nodeId the {@code node} label; {@code null}: this machine's host name
   */
  public static Vertx vertx(String nodeId) {
    return builder(nodeId, new VertxOptions()).build();
  }

  /** A builder of such a Vert.x on {@code options} (a cluster's event-bus settings), to build clustered. */
  public static VertxBuilder builder(String nodeId, VertxOptions options) {
    // Not the event bus: every proxied request publishes its log entry, and counting each message
    // by address cost more than the proxy's own metrics; the log writer's own series say what an
    // operator needs to know of that traffic.
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
        .setRegistryName(REGISTRY).setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    return Vertx.builder().with(options.setMetricsOptions(metrics))
        .withMetrics(new SharedHttpMetrics(new MicrometerMetricsFactory(registry(nodeId))));
  }

  /**
   * The {@code node} label: the configured id, else this machine's host name. The first call may
   * look the name up (blocking): make it before any event loop needs it, as {@code Faultline.start}
   * does on its caller's thread.
   */
  public static String nodeName(String configured) {
    return configured == null || configured.isBlank() ? HostName.VALUE : configured;
  }

  /** The launcher's registry when this Vert.x was built by {@link #vertx}, else a new one with the JVM's series. */
  static PrometheusMeterRegistry of(Vertx vertx, String nodeId) {
    if (vertx.isMetricsEnabled() && BackendRegistries.getNow(REGISTRY) instanceof PrometheusMeterRegistry shared) {
      return shared;
    }
    PrometheusMeterRegistry own = registry(nodeId);
    new ClassLoaderMetrics().bindTo(own);
    new JvmMemoryMetrics().bindTo(own);
    new JvmGcMetrics().bindTo(own);
    new JvmThreadMetrics().bindTo(own);
    new ProcessorMetrics().bindTo(own);
    return own;
  }

  private static PrometheusMeterRegistry registry(String nodeId) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("node", nodeName(nodeId))
        .meterFilter(new LintedNames());
    processCpu(registry);
    return registry;
  }

  /**
   * What {@code promtool check metrics} accepts of the JVM series Micrometer names otherwise:
   * {@code system_cpu_cores}, since a gauge may not end in {@code _count}; without the two counters
   * in milliseconds and nanoseconds ({@code jvm_compilation_time_ms_total},
   * {@code process_cpu_time_ns_total}), the process's CPU time being Prometheus' usual
   * {@code process_cpu_seconds_total} instead (see {@link #processCpu}).
   */
  private static final class LintedNames implements MeterFilter {
    @Override
    public MeterFilterReply accept(Meter.Id id) {
      return "ms".equals(id.getBaseUnit()) || "ns".equals(id.getBaseUnit()) ? MeterFilterReply.DENY
          : MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
      return "system.cpu.count".equals(id.getName()) ? id.withName("system.cpu.cores") : id;
    }
  }

  /** {@code process_cpu_seconds_total}, where the JVM tells it. */
  private static void processCpu(MeterRegistry registry) {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      FunctionCounter.builder("process.cpu", os, bean -> bean.getProcessCpuTime() / 1e9).baseUnit("seconds")
          .description("CPU time the JVM process used.").register(registry);
    }
  }

  /** This machine's name, looked up once (it may ask a resolver). */
  private static final class HostName {
    static final String VALUE = lookUp();

    private static String lookUp() {
      String env = System.getenv("HOSTNAME");
      if (env != null && !env.isBlank()) {
        return env;
      }
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        return "localhost";
      }
    }
  }
}
