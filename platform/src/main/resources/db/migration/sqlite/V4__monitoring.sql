-- Monitoring: what a log row needs beyond V1, the per-proxy `logging` block, and the
-- snapshots that let the rolling metrics survive a restart.

-- Input tokens the provider served from its prompt cache (billed at the cached price).
ALTER TABLE log_entries ADD COLUMN cached_tokens INTEGER;
-- 1 when the tokens were counted here (a stream without usage), not reported by the upstream.
ALTER TABLE log_entries ADD COLUMN usage_estimated INTEGER NOT NULL DEFAULT 0;
-- Where cost_usd comes from: price_table, provider, unknown_price (cost_usd is NULL, never 0)
-- or no_usage (nothing was billed in tokens).
ALTER TABLE log_entries ADD COLUMN cost_source TEXT;
-- What a cache hit would have cost had it gone upstream.
ALTER TABLE log_entries ADD COLUMN cost_saved_usd REAL;
-- completed, broken, abandoned or reset.
ALTER TABLE log_entries ADD COLUMN outcome TEXT;
-- Only when the proxy's `logging.bodies` is on, truncated to `logging.max_body_bytes`.
ALTER TABLE log_entries ADD COLUMN request_body TEXT;
ALTER TABLE log_entries ADD COLUMN response_body TEXT;

-- The proxy's `logging` block (JSON); NULL means the defaults.
ALTER TABLE proxies ADD COLUMN logging TEXT;

-- The rolling 1m/15m/1h slots of one scope ('*' for all proxies, else a proxy id), saved
-- every few seconds and at shutdown.
CREATE TABLE metrics_snapshots (
  scope    TEXT PRIMARY KEY,
  saved_at INTEGER NOT NULL,   -- epoch milliseconds
  data     TEXT NOT NULL       -- JSON
);
