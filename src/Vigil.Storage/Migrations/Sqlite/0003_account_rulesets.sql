-- Account-level phase entrypoints (Enterprise WAF deployments and skips that apply to many zones), read once per
-- account by the infrastructure stage and committed with it.
CREATE TABLE snapshot_account_rulesets (
    commit_id    INTEGER NOT NULL REFERENCES stage_commits (id),
    ordinal      INTEGER NOT NULL,
    account_id   TEXT NOT NULL,
    entrypoints  TEXT NOT NULL,   -- JSON: {phase: PhaseEntrypoint | null}; null value = no entrypoint, absent phase = not read
    PRIMARY KEY (commit_id, ordinal)
);
