-- Monitoring: see migration/sqlite/V4__monitoring.sql.
ALTER TABLE log_entries ADD COLUMN cached_tokens BIGINT;
ALTER TABLE log_entries ADD COLUMN usage_estimated INTEGER NOT NULL DEFAULT 0;
ALTER TABLE log_entries ADD COLUMN cost_source TEXT;
ALTER TABLE log_entries ADD COLUMN cost_saved_usd DOUBLE PRECISION;
ALTER TABLE log_entries ADD COLUMN outcome TEXT;
ALTER TABLE log_entries ADD COLUMN request_body TEXT;
ALTER TABLE log_entries ADD COLUMN response_body TEXT;

ALTER TABLE proxies ADD COLUMN logging TEXT;

CREATE TABLE metrics_snapshots (
  scope    TEXT PRIMARY KEY,
  saved_at BIGINT NOT NULL,
  data     TEXT NOT NULL
);
