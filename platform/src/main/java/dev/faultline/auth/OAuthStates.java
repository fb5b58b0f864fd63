package dev.faultline.auth;

import dev.faultline.store.Database;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Social sign-ins under way. Starting one makes two random values: the {@code state}, which goes
 * to the provider and comes back on the callback, and the browser's own value, which stays in a
 * short-lived cookie. The callback is accepted once, before it expires, and only with both: a
 * state replayed, forged, or carried to another browser (someone luring a victim into signing in
 * as them) finds no row. Only their hashes are kept; the PKCE verifier and the OpenID nonce are
 * derived from both values when needed, so the table holds nothing that completes a sign-in.
 */
final class OAuthStates {

  static final Duration TTL = Duration.ofMinutes(10);

  private final Pool pool;

  OAuthStates(Database database) {
    this.pool = database.pool();
  }

  /** A sign-in just started: what goes to the provider, and what goes in the browser's cookie. */
  record Started(String state, String browser) {

    String codeChallenge() {
      return challenge(verifier(state, browser));
    }

    String nonce() {
      return OAuthStates.nonce(state, browser);
    }
  }

  /** Starts a sign-in through {@code provider} that will come back to {@code redirectUri}. */
  Future<Started> begin(String provider, String redirectUri) {
    Started started = new Started(Secrets.random(""), Secrets.random(""));
    long now = Instant.now().getEpochSecond();
    // Abandoned sign-ins go as new ones start: the table stays the size of the last ten minutes.
    return pool.preparedQuery("DELETE FROM oauth_states WHERE expires_at <= ?").execute(Tuple.of(now))
        .compose(v -> pool.preparedQuery("INSERT INTO oauth_states (state_hash, provider, browser_hash, redirect_uri, "
                + "expires_at) VALUES (?, ?, ?, ?, ?)")
            .execute(Tuple.of(Secrets.sha256(started.state()), provider, Secrets.sha256(started.browser()), redirectUri,
                now + TTL.toSeconds())))
        .map(rows -> started);
  }

  /**
   * Uses the sign-in {@code state} names, if it was started by {@code provider} in the browser
   * holding {@code browser}, unused and unexpired: its redirect URI. Marked used in the same
   * statement that finds it, so two callbacks cannot both succeed. A wrong browser leaves the
   * state as it was (the person it belongs to can still finish).
   */
  Future<Optional<String>> use(String provider, String state, String browser) {
    long now = Instant.now().getEpochSecond();
    return pool.preparedQuery("UPDATE oauth_states SET used_at = ? WHERE state_hash = ? AND provider = ? "
            + "AND browser_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING redirect_uri")
        .execute(Tuple.of(now, Secrets.sha256(state), provider, Secrets.sha256(browser), now))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(rows.iterator().next().getString("redirect_uri")));
  }

  /** The PKCE verifier: 43 URL-safe characters, as RFC 7636 asks, known only to whoever holds both values. */
  static String verifier(String state, String browser) {
    return derive("pkce", state, browser);
  }

  static String nonce(String state, String browser) {
    return derive("nonce", state, browser);
  }

  /** RFC 7636 S256: the verifier's SHA-256, base64url without padding. */
  static String challenge(String verifier) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
  }

  private static String derive(String purpose, String state, String browser) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(purpose + ":" + state + ":" + browser));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
