-- The data of the widest check catalogue, mirroring SQLite's 0012, 0013, 0015 and the system owner of 0017: DNS records,
-- account-owned API tokens (with whether each access commit read them), when each membership was first seen, account
-- Logpush jobs. Every new table carries organisation_id and row-level security.

CREATE TABLE snapshot_dns_records (
    organisation_id TEXT NOT NULL,
    commit_id    BIGINT NOT NULL REFERENCES stage_commits (id),
    ordinal      BIGINT NOT NULL,
    record_id    TEXT NOT NULL,
    zone_id      TEXT NOT NULL,
    type         TEXT NOT NULL,
    name         TEXT NOT NULL,
    content      TEXT NOT NULL,
    proxied      BIGINT,           -- 0/1; NULL when Cloudflare did not say
    ttl          BIGINT NOT NULL,  -- seconds; 1 = automatic
    priority     BIGINT,
    caa_flags    BIGINT,
    caa_tag      TEXT,
    caa_value    TEXT,
    proxiable    BIGINT,
    PRIMARY KEY (commit_id, ordinal)
);

ALTER TABLE snapshot_members ADD COLUMN first_seen_at TEXT;
ALTER TABLE stage_commits ADD COLUMN account_tokens_read BIGINT NOT NULL DEFAULT 0;

CREATE TABLE snapshot_account_tokens (
    organisation_id TEXT NOT NULL,
    commit_id      BIGINT NOT NULL REFERENCES stage_commits (id),
    ordinal        BIGINT NOT NULL,
    token_id       TEXT NOT NULL,
    account_id     TEXT NOT NULL,
    name           TEXT NOT NULL,
    status         TEXT,
    issued_on      TEXT,
    modified_on    TEXT,
    not_before     TEXT,
    expires_on     TEXT,
    last_used_on   TEXT,
    allowed_ips    TEXT NOT NULL,
    denied_ips     TEXT NOT NULL,
    creator_email  TEXT,
    policies       TEXT NOT NULL,
    PRIMARY KEY (commit_id, ordinal)
);

CREATE TABLE snapshot_account_logpush (
    organisation_id TEXT NOT NULL,
    commit_id    BIGINT NOT NULL REFERENCES stage_commits (id),
    ordinal      BIGINT NOT NULL,
    account_id   TEXT NOT NULL,
    jobs         TEXT NOT NULL,
    PRIMARY KEY (commit_id, ordinal)
);

ALTER TABLE critical_systems ADD COLUMN owner TEXT;

SELECT vigil_isolate('snapshot_dns_records');
SELECT vigil_isolate('snapshot_account_tokens');
SELECT vigil_isolate('snapshot_account_logpush');
