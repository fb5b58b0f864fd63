-- Accounts. Passwords are stored only as salted hashes (a later migration adds sign-in providers).
CREATE TABLE users (
  id             TEXT PRIMARY KEY,
  email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash  TEXT,
  email_verified INTEGER NOT NULL DEFAULT 0,
  created_at     TEXT NOT NULL
);

-- Proxies. `status` is the state the user asked for; the live state is the ProxyManager's.
-- `options` is the provider's JSON options object.
CREATE TABLE proxies (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  provider   TEXT NOT NULL,
  upstream   TEXT,
  port       INTEGER NOT NULL UNIQUE CHECK (port BETWEEN 1 AND 65535),
  status     TEXT NOT NULL CHECK (status IN ('running', 'stopped')),
  options    TEXT NOT NULL DEFAULT '{}',
  require_api_key INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- One row per finished request through a proxy. Never an API key, never a prompt by default.
CREATE TABLE log_entries (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  ts                INTEGER NOT NULL,          -- epoch milliseconds
  proxy_id          TEXT NOT NULL,
  request_id        TEXT NOT NULL,
  client_ip         TEXT,
  method            TEXT NOT NULL,
  path              TEXT NOT NULL,
  model             TEXT,
  stream            INTEGER NOT NULL DEFAULT 0,
  status            INTEGER NOT NULL,
  latency_ms        REAL,
  ttfb_ms           REAL,
  upstream_ms       REAL,
  cache_status      TEXT,
  fault             TEXT,
  prompt_tokens     INTEGER,
  completion_tokens INTEGER,
  total_tokens      INTEGER,
  cost_usd          REAL,
  bytes_in          INTEGER,
  bytes_out         INTEGER,
  error_type        TEXT
);
CREATE INDEX log_entries_proxy_ts ON log_entries (proxy_id, ts DESC);
CREATE INDEX log_entries_ts ON log_entries (ts DESC);
