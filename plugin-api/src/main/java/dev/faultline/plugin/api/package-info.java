/**
 * The Faultline plugin API: everything a third party needs to add a provider to Faultline.
 *
 * <p>A plugin is a PF4J plugin jar dropped into Faultline's plugins folder. It declares one or
 * more extensions ({@code @org.pf4j.Extension}) of the extension points in this package:
 * <ul>
 *   <li>{@link dev.faultline.plugin.api.Provider}: forwards a caller's OpenAI-style request to a
 *       model provider (or answers it itself, as the offline mock does), shapes errors the way
 *       that provider does, and reads token usage.</li>
 * </ul>
 *
 * <p>Rules the host enforces: this package, {@code io.vertx}, {@code io.netty},
 * {@code com.fasterxml.jackson} and {@code org.slf4j} are loaded from the host, so a plugin
 * declares them {@code provided} and never bundles them. Everything else a plugin needs is
 * bundled in its own jar. Every callback runs on a Vert.x event loop: never block in one.
 */
package dev.faultline.plugin.api;
