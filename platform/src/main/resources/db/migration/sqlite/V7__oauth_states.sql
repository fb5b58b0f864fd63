-- Social sign-ins under way: one row from the redirect to the provider until its callback. Kept
-- here rather than in memory so that any Faultline process sharing this database can finish a
-- sign-in another one started. Only hashes: the state travels in the provider's URLs, the browser
-- value in a short-lived cookie, and neither signs anyone in from this table. The PKCE verifier and
-- the OpenID nonce are derived from both at the callback, so they are not kept at all.
CREATE TABLE oauth_states (
  state_hash   TEXT PRIMARY KEY,
  provider     TEXT NOT NULL,
  browser_hash TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  expires_at   INTEGER NOT NULL,             -- epoch seconds
  used_at      INTEGER
);
CREATE INDEX oauth_states_expires ON oauth_states (expires_at);
