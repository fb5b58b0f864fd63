-- SQLite's V9 drops AUTOINCREMENT from log_entries; PostgreSQL's identity column has no such cost,
-- so nothing changes here. The file keeps both schemas' versions in step.
SELECT 1;
