-- Response cache (issue 3).

-- A proxy's `cache` settings block (JSON); NULL means the defaults (cache off).
ALTER TABLE proxies ADD COLUMN cache TEXT;

-- This installation's secret for hashing callers' API keys into tenant ids. Made once, at first
-- start; never exported. Without it a tenant id cannot be tied back to a key.
CREATE TABLE cache_secret (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  salt BLOB NOT NULL
);

-- One stored 2xx answer. Never an API key: `tenant` is an HMAC of the caller's key under the
-- secret above, and `key` a SHA-256 over proxy id, tenant and `request_digest` (itself a SHA-256
-- over the canonical request).
CREATE TABLE cache_entries (
  key            TEXT PRIMARY KEY,
  proxy_id       TEXT NOT NULL REFERENCES proxies (id) ON DELETE CASCADE,
  tenant         TEXT NOT NULL,
  request_digest TEXT NOT NULL,
  model          TEXT,
  path           TEXT NOT NULL,
  status         INTEGER NOT NULL,
  headers        TEXT NOT NULL,          -- JSON [[name, value], ...], only the headers replayed
  body           BLOB NOT NULL,
  events         TEXT,                   -- a stream's SSE events: JSON [[end offset, ms after head], ...]
  size           INTEGER NOT NULL,       -- body bytes
  created_at     INTEGER NOT NULL,       -- epoch milliseconds
  last_hit_at    INTEGER,                -- epoch milliseconds
  hits           INTEGER NOT NULL DEFAULT 0,
  lru            INTEGER NOT NULL        -- last use, in the cache writer's order (higher = more recent)
);
CREATE INDEX cache_entries_proxy_lru ON cache_entries (proxy_id, lru DESC);
CREATE INDEX cache_entries_proxy_created ON cache_entries (proxy_id, created_at DESC);
