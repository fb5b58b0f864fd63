-- The caller limit: a proxy's JSON block (see CallerLimitSettings); NULL means the default (off).
ALTER TABLE proxies ADD COLUMN caller_limit TEXT;
