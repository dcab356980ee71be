-- Account Logpush jobs (GET /accounts/{account_id}/logpush/jobs), read once per account that owns a monitored
-- Enterprise zone by the infrastructure stage and committed with it (cloudflare.zone-logs-exported).
CREATE TABLE snapshot_account_logpush (
    commit_id    INTEGER NOT NULL REFERENCES stage_commits (id),
    ordinal      INTEGER NOT NULL,
    account_id   TEXT NOT NULL,
    jobs         TEXT NOT NULL,   -- JSON: [LogpushJob]
    PRIMARY KEY (commit_id, ordinal)
);
