-- The log's indexes in ascending order, as in SQLite's V10: rows arrive in time order, and a
-- B-tree that only grows at its right end takes them fastest (PostgreSQL caches that page for
-- the next insert). Newest-first reads scan the same index backwards.
DROP INDEX log_entries_proxy_ts;
DROP INDEX log_entries_ts;
CREATE INDEX log_entries_proxy_ts ON log_entries (proxy_id, ts);
CREATE INDEX log_entries_ts ON log_entries (ts);
