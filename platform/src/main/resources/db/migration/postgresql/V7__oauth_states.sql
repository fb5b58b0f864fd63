-- Social sign-ins under way: see migration/sqlite/V7__oauth_states.sql.
CREATE TABLE oauth_states (
  state_hash   TEXT PRIMARY KEY,
  provider     TEXT NOT NULL,
  browser_hash TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  expires_at   BIGINT NOT NULL,
  used_at      BIGINT
);
CREATE INDEX oauth_states_expires ON oauth_states (expires_at);
