package dev.faultline.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * Who a social sign-in signs in, by these rules: the account already linked to the provider's
 * person; else the account with the email the provider has verified, which is linked from now on;
 * else a new, verified account, if registration is open. An email the provider has not verified
 * signs nobody in: anyone can type any address into an account there.
 *
 * <p>Linking to an account whose email Faultline had not verified yet also removes its password
 * and ends its sessions: whoever registered it had not proven the address was theirs, and the
 * provider now has (otherwise someone could register a victim's address first, wait for the victim
 * to sign in with Google, and keep a password to the victim's account).
 */
final class SocialSignIn {

  /** How the account was found, for the audit trail. */
  enum Via { IDENTITY, EMAIL, CREATED }

  record Outcome(User user, Via via) {
  }

  private final Users users;
  private final Identities identities;
  private final Sessions sessions;
  private final AuditTrail audit;
  private final boolean registration;

  SocialSignIn(Users users, Identities identities, Sessions sessions, AuditTrail audit, boolean registration) {
    this.users = users;
    this.identities = identities;
    this.sessions = sessions;
    this.audit = audit;
    this.registration = registration;
  }

  /** Finds or makes the account for {@code identity} and opens a session for it. */
  Future<Sessions.Issued> signIn(AuthSettings.OAuthProvider provider, SocialProvider.Identity identity) {
    if (identity.email() == null || identity.email().isBlank() || !identity.emailVerified()) {
      return Future.failedFuture(SocialProvider.refused(provider.name() + " has no verified email for this account: "
          + "verify your email there, then sign in again"));
    }
    String email = Users.normalize(identity.email());
    return identities.userId(provider.id(), identity.subject())
        .compose(linked -> linked.isPresent() ? users.byId(linked.get()).map(found -> found.map(u -> new Outcome(u, Via.IDENTITY)))
            : Future.succeededFuture(Optional.<Outcome>empty()))
        .compose(found -> found.isPresent() ? Future.succeededFuture(found.get()) : byEmail(provider, identity, email))
        .compose(outcome -> {
          User user = outcome.user();
          if (user.disabled()) {
            return Future.failedFuture(SocialProvider.refused("the account " + user.email() + " is disabled"));
          }
          audit.record(Accounts.asCaller(user), "account.oauth_signin", "user", user.id(),
              new JsonObject().put("provider", provider.id()).put("via", outcome.via().name().toLowerCase(java.util.Locale.ROOT)));
          return sessions.open(user);
        });
  }

  private Future<Outcome> byEmail(AuthSettings.OAuthProvider provider, SocialProvider.Identity identity, String email) {
    return users.byEmail(email).compose(existing -> {
      if (existing.isPresent()) {
        User user = existing.get();
        if (user.disabled()) {
          return Future.failedFuture(SocialProvider.refused("the account " + user.email() + " is disabled"));
        }
        Future<Void> claimed = user.verified() ? Future.succeededFuture()
            : users.setPassword(user.id(), null).compose(v -> users.setVerified(user.id()))
                .compose(v -> sessions.closeAll(user.id()));
        return claimed.compose(v -> identities.link(provider.id(), identity.subject(), user.id()))
            .compose(v -> users.byId(user.id()))
            .map(found -> new Outcome(found.orElseThrow(), Via.EMAIL));
      }
      if (!registration) {
        return Future.failedFuture(SocialProvider.refused("there is no account for " + email + " on this Faultline, "
            + "and registration is closed: ask an admin to let you in"));
      }
      return users.insert(email, null, false, true)
          .compose(user -> identities.link(provider.id(), identity.subject(), user.id()).map(user))
          .onSuccess(user -> audit.record(Accounts.asCaller(user), "account.register", "user", user.id(),
              new JsonObject().put("provider", provider.id())))
          .map(user -> new Outcome(user, Via.CREATED));
    });
  }
}
