package dev.faultline.auth;

import java.util.List;

/**
 * How accounts work on this instance.
 *
 * @param publicUrl        the dashboard's address as people open it, for links in mails and the setup link;
 *                         {@code null}: {@code http://localhost:<admin port>}
 * @param sessionSeconds   how long a sign-in lasts
 * @param sessionSecret    the HS256 key for session tokens; {@code null}: generated and kept in the data folder
 * @param adminEmail       with {@code adminPassword}: a verified admin created at first start (scripted setups, CI)
 * @param adminPassword    see {@code adminEmail}
 * @param adminToken       an API token ({@code flt_…}) for that admin, created at first start; {@code null}: none
 * @param registration     whether anyone who reaches the dashboard may register (an admin can always add people
 *                         by letting them register while it is on)
 * @param metricsOpen      whether {@code /metrics} answers without a token (a Prometheus on a trusted network)
 * @param smtp             where mails go; {@code null}: to the log
 * @param oauth            the social sign-in providers
 */
public record AuthSettings(String publicUrl, long sessionSeconds, String sessionSecret, String adminEmail,
                           String adminPassword, String adminToken, boolean registration, boolean metricsOpen,
                           Smtp smtp, List<OAuthProvider> oauth) {

  public AuthSettings {
    oauth = oauth == null ? List.of() : List.copyOf(oauth);
  }

  /** The defaults: sessions of 12 hours, registration open, /metrics behind a token, mails to the log. */
  public static AuthSettings defaults() {
    return new AuthSettings(null, 12 * 3600, null, null, null, null, true, false, null, List.of());
  }

  public AuthSettings withAdmin(String email, String password, String token) {
    return new AuthSettings(publicUrl, sessionSeconds, sessionSecret, email, password, token, registration, metricsOpen,
        smtp, oauth);
  }

  public AuthSettings withSmtp(Smtp value) {
    return new AuthSettings(publicUrl, sessionSeconds, sessionSecret, adminEmail, adminPassword, adminToken,
        registration, metricsOpen, value, oauth);
  }

  public AuthSettings withOAuth(List<OAuthProvider> value) {
    return new AuthSettings(publicUrl, sessionSeconds, sessionSecret, adminEmail, adminPassword, adminToken,
        registration, metricsOpen, smtp, value);
  }

  public AuthSettings withPublicUrl(String value) {
    return new AuthSettings(value, sessionSeconds, sessionSecret, adminEmail, adminPassword, adminToken,
        registration, metricsOpen, smtp, oauth);
  }

  public AuthSettings withMetricsOpen(boolean value) {
    return new AuthSettings(publicUrl, sessionSeconds, sessionSecret, adminEmail, adminPassword, adminToken,
        registration, value, smtp, oauth);
  }

  /** Secrets never printed: a record's own toString would. */
  @Override
  public String toString() {
    return "AuthSettings[publicUrl=" + publicUrl + ", sessionSeconds=" + sessionSeconds + ", adminEmail=" + adminEmail
        + ", registration=" + registration + ", metricsOpen=" + metricsOpen + ", smtp=" + smtp + ", oauth="
        + oauth.stream().map(OAuthProvider::id).toList() + "]";
  }

  /**
   * An SMTP server.
   *
   * @param starttls {@code required}, {@code optional} or {@code disabled}
   */
  public record Smtp(String host, int port, String username, String password, String from, String starttls,
                     boolean ssl) {

    @Override
    public String toString() {
      return "Smtp[" + host + ":" + port + ", from=" + from + ", user=" + username + "]";
    }
  }

  /**
   * A social sign-in provider.
   *
   * @param id     short name in URLs ({@code github}, {@code google}, or any)
   * @param kind   {@code github}, {@code google} or {@code oidc}
   * @param issuer for {@code oidc}: the issuer URL, whose discovery document is read
   */
  public record OAuthProvider(String id, String name, String kind, String clientId, String clientSecret,
                              String issuer) {

    @Override
    public String toString() {
      return "OAuthProvider[" + id + ", " + kind + ", clientId=" + clientId + "]";
    }
  }
}
