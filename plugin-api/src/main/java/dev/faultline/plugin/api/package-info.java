/**
 * The Faultline plugin API: everything a third party needs to add a provider or a fault to
 * Faultline.
 *
 * <p>A plugin is a PF4J plugin jar dropped into Faultline's plugins folder. It declares one or
 * more extensions ({@code @org.pf4j.Extension}) of the extension points in this package:
 * <ul>
 *   <li>{@link dev.faultline.plugin.api.Provider}: forwards a caller's OpenAI-style request to a
 *       model provider (or answers it itself, as the offline mock does), shapes errors the way
 *       that provider does, and reads token usage.</li>
 *   <li>{@link dev.faultline.plugin.api.FaultStrategy}: a kind of failure a proxy can inject.
 *       It describes its parameters ({@link dev.faultline.plugin.api.FaultParam}) and makes a
 *       {@link dev.faultline.plugin.api.Fault} per proxy that decides, per request, to pass,
 *       answer an error, delay, hang, reset the connection, or change the response
 *       ({@link dev.faultline.plugin.api.FaultDecision}); stream faults work event by event with
 *       {@link dev.faultline.plugin.api.EventFault}.</li>
 * </ul>
 *
 * <p>In a cluster of Faultline nodes, each node builds its own {@code Fault} for a proxy. A fault
 * that keeps a limit which should count the whole cluster's requests (as the real provider's
 * does) asks the host for {@link dev.faultline.plugin.api.SharedCounter}s through
 * {@link dev.faultline.plugin.api.FaultContext#counter} when
 * {@link dev.faultline.plugin.api.FaultContext#clustered} says so, and decides in
 * {@link dev.faultline.plugin.api.Fault#decideAsync}; the plugin never sees how the nodes share
 * them. The built-in {@code rate-limit} fault does this.
 *
 * <p>A plugin jar's {@code META-INF/MANIFEST.MF} sets {@code Plugin-Id} and {@code Plugin-Version}
 * (and may set {@code Plugin-Provider}, {@code Plugin-Description}), and {@code Plugin-Requires}:
 * the range of plugin API versions it works with, e.g. {@code >=0.1.0 & <1.0.0}; the host refuses
 * a jar whose range leaves out its {@link dev.faultline.plugin.api.PluginApi#VERSION}. PF4J's
 * annotation processor ({@code pf4j} on the annotation processor path) writes
 * {@code META-INF/extensions.idx}. A jar
 * dropped into the plugins folder of a running Faultline is loaded within seconds; a jar removed
 * is unloaded, and the proxies that used it stop using it.
 *
 * <p>Rules the host enforces: this package, {@code io.vertx}, {@code io.netty},
 * {@code com.fasterxml.jackson} and {@code org.slf4j} are loaded from the host, so a plugin
 * declares them {@code provided} and never bundles them. Everything else a plugin needs is
 * bundled in its own jar. Every callback runs on a Vert.x event loop: never block in one.
 */
package dev.faultline.plugin.api;
