-- The log's indexes in ascending order. Rows arrive in time order, so an ascending index only
-- ever grows at its right end, which SQLite's B-tree appends to cheaply; the descending ones
-- took every new row at their left end, a page split and rebalance more often: the log
-- writer spent about an eighth more time per row. Newest-first reads walk the same index
-- backwards, with no sort.
DROP INDEX log_entries_proxy_ts;
DROP INDEX log_entries_ts;
CREATE INDEX log_entries_proxy_ts ON log_entries (proxy_id, ts);
CREATE INDEX log_entries_ts ON log_entries (ts);
