-- DNS records of the monitored zones (GET /zones/{id}/dns_records), read by the infrastructure stage only when a DNS
-- check is selected and committed with it. Whether a zone's records were read at all is its features.DnsRecordCount.
CREATE TABLE snapshot_dns_records (
    commit_id    INTEGER NOT NULL REFERENCES stage_commits (id),
    ordinal      INTEGER NOT NULL,
    record_id    TEXT NOT NULL,
    zone_id      TEXT NOT NULL,
    type         TEXT NOT NULL,
    name         TEXT NOT NULL,
    content      TEXT NOT NULL,
    proxied      INTEGER,          -- 0/1; NULL when Cloudflare did not say
    ttl          INTEGER NOT NULL, -- seconds; 1 = automatic
    priority     INTEGER,          -- MX/URI priority; NULL for other types
    caa_flags    INTEGER,          -- CAA data as Cloudflare gives it; NULL for other types
    caa_tag      TEXT,
    caa_value    TEXT,
    proxiable    INTEGER,          -- 0/1; NULL when not reported
    PRIMARY KEY (commit_id, ordinal)
);
