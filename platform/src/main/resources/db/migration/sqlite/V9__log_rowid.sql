-- The log's ids without AUTOINCREMENT: a plain rowid is still unique and growing while rows are
-- only ever pruned from the old end, and SQLite then skips the sqlite_sequence update that
-- AUTOINCREMENT costs on every insert (the log writer inserts a row per proxied request).
-- SQLite cannot drop AUTOINCREMENT in place: the table is rebuilt, its rows and indexes kept.
CREATE TABLE log_entries_v9 (
  id                INTEGER PRIMARY KEY,
  ts                INTEGER NOT NULL,
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
  error_type        TEXT,
  cached_tokens     INTEGER,
  usage_estimated   INTEGER NOT NULL DEFAULT 0,
  cost_source       TEXT,
  cost_saved_usd    REAL,
  outcome           TEXT,
  request_body      TEXT,
  response_body     TEXT,
  error_message     TEXT,
  retry_after       TEXT
);
INSERT INTO log_entries_v9 (id, ts, proxy_id, request_id, client_ip, method, path, model, stream, status, latency_ms,
    ttfb_ms, upstream_ms, cache_status, fault, prompt_tokens, completion_tokens, total_tokens, cost_usd, bytes_in,
    bytes_out, error_type, cached_tokens, usage_estimated, cost_source, cost_saved_usd, outcome, request_body,
    response_body, error_message, retry_after)
  SELECT id, ts, proxy_id, request_id, client_ip, method, path, model, stream, status, latency_ms,
    ttfb_ms, upstream_ms, cache_status, fault, prompt_tokens, completion_tokens, total_tokens, cost_usd, bytes_in,
    bytes_out, error_type, cached_tokens, usage_estimated, cost_source, cost_saved_usd, outcome, request_body,
    response_body, error_message, retry_after
  FROM log_entries;
DROP TABLE log_entries;
ALTER TABLE log_entries_v9 RENAME TO log_entries;
CREATE INDEX log_entries_proxy_ts ON log_entries (proxy_id, ts DESC);
CREATE INDEX log_entries_ts ON log_entries (ts DESC);
