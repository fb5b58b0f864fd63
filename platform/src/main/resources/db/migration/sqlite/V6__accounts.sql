-- Accounts. Passwords only as Argon2id hashes; API tokens and one-time links only as SHA-256 hashes
-- of 256-bit random values; sessions by id (the signed JWT is the credential, never stored): what
-- is stored here signs nobody in.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('admin', 'user'));
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN updated_at TEXT;

-- A signed-in session; its id is the JWT's `sid`. Deleting the row ends the session (logout,
-- password change, a disabled account) even while the JWT has not expired.
CREATE TABLE sessions (
  id         TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,             -- epoch seconds
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- API tokens for scripts and services: `flt_…` shown once, kept as its SHA-256.
CREATE TABLE api_tokens (
  id           TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,
  read_only    INTEGER NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER,                     -- NULL: never
  last_used_at INTEGER,
  revoked_at   INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Single-use links: email verification, password reset, the first-run setup link.
CREATE TABLE one_time_links (
  token_hash TEXT PRIMARY KEY,
  purpose    TEXT NOT NULL CHECK (purpose IN ('verify', 'reset', 'setup')),
  user_id    TEXT REFERENCES users (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
);

-- Accounts signed in through GitHub, Google or an OpenID Connect provider.
CREATE TABLE identities (
  provider   TEXT NOT NULL,
  subject    TEXT NOT NULL,
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (provider, subject)
);

-- Who did what to which resource, and when. Never a secret: details are names and settings.
CREATE TABLE audit (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  ts          INTEGER NOT NULL,             -- epoch milliseconds
  actor_id    TEXT,
  actor_email TEXT,
  action      TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id   TEXT,
  detail      TEXT
);
CREATE INDEX audit_actor_ts ON audit (actor_id, ts DESC);
CREATE INDEX audit_ts ON audit (ts DESC);

-- Every proxy has an owner; proxies from before accounts get the first admin (see AuthFeature).
ALTER TABLE proxies ADD COLUMN owner_id TEXT REFERENCES users (id);
CREATE INDEX proxies_owner ON proxies (owner_id);
