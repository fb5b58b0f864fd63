-- Response cache: see migration/sqlite/V2__cache.sql.
ALTER TABLE proxies ADD COLUMN cache TEXT;

CREATE TABLE cache_secret (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  salt BYTEA NOT NULL
);

CREATE TABLE cache_entries (
  key            TEXT PRIMARY KEY,
  proxy_id       TEXT NOT NULL REFERENCES proxies (id) ON DELETE CASCADE,
  tenant         TEXT NOT NULL,
  request_digest TEXT NOT NULL,
  model          TEXT,
  path           TEXT NOT NULL,
  status         INTEGER NOT NULL,
  headers        TEXT NOT NULL,
  body           BYTEA NOT NULL,
  events         TEXT,
  size           BIGINT NOT NULL,
  created_at     BIGINT NOT NULL,
  last_hit_at    BIGINT,
  hits           BIGINT NOT NULL DEFAULT 0,
  lru            BIGINT NOT NULL
);
CREATE INDEX cache_entries_proxy_lru ON cache_entries (proxy_id, lru DESC);
CREATE INDEX cache_entries_proxy_created ON cache_entries (proxy_id, created_at DESC);
