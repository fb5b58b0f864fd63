-- The caller limit: see migration/sqlite/V5__caller_limit.sql.
ALTER TABLE proxies ADD COLUMN caller_limit TEXT;
