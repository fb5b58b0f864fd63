-- Failure simulation and IP filtering: each a proxy's JSON block (see FaultsFeature, IpAccess).
-- NULL means the block's default (no faults; seed unset, header override on; no IP rules).
ALTER TABLE proxies ADD COLUMN faults TEXT;
ALTER TABLE proxies ADD COLUMN fault_options TEXT;
ALTER TABLE proxies ADD COLUMN ip TEXT;
