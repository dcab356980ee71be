-- Rules that override a zone's own settings for some traffic: Page Rules that set the SSL mode, and per-hostname
-- minimum TLS versions. JSON arrays; NULL when not read (older snapshots, a refused read, or a plan without the feature).
ALTER TABLE snapshot_zones ADD COLUMN ssl_page_rules TEXT;
ALTER TABLE snapshot_zones ADD COLUMN hostname_min_tls TEXT;
