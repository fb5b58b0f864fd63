-- Failure simulation and IP filtering: see migration/sqlite/V3__faults.sql.
ALTER TABLE proxies ADD COLUMN faults TEXT;
ALTER TABLE proxies ADD COLUMN fault_options TEXT;
ALTER TABLE proxies ADD COLUMN ip TEXT;
