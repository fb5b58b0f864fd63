-- A failed call's message and retry-after: see migration/sqlite/V8__log_error_details.sql.
ALTER TABLE log_entries ADD COLUMN error_message TEXT;
ALTER TABLE log_entries ADD COLUMN retry_after TEXT;
