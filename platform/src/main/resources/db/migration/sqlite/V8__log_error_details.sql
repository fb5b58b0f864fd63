-- What a failed call told its caller, for the traffic console's detail panel: the error body's
-- message (any key-like token in it masked) and the retry-after header the caller was given.
ALTER TABLE log_entries ADD COLUMN error_message TEXT;
ALTER TABLE log_entries ADD COLUMN retry_after TEXT;
