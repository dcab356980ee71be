-- Mirrors SQLite's 0021: each zone and membership row says when it was last read from the API, and the audit log
-- entries Vigil read are kept once per entry id. The new table carries organisation_id and row-level security.
ALTER TABLE snapshot_zones ADD COLUMN observed_at TEXT;
ALTER TABLE snapshot_members ADD COLUMN observed_at TEXT;

CREATE TABLE audit_log_entries (
    organisation_id TEXT NOT NULL,
    account_id      TEXT NOT NULL,
    entry_id        TEXT NOT NULL,
    logged_at       TEXT NOT NULL,
    action          TEXT NOT NULL,
    resource_type   TEXT,
    resource_id     TEXT,
    zone_id         TEXT,
    actor_email     TEXT,
    actor_type      TEXT,
    method          TEXT,
    path            TEXT,
    result          TEXT,
    subject_email   TEXT,
    read_at         TEXT NOT NULL,
    PRIMARY KEY (organisation_id, account_id, entry_id)
);
CREATE INDEX audit_log_entries_time ON audit_log_entries (organisation_id, logged_at);

SELECT vigil_isolate('audit_log_entries');
