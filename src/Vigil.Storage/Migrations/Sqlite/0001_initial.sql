-- Vigil schema, version 1.
-- Portable on purpose so a PostgreSQL schema can mirror it table for table: TEXT ids, timestamps as
-- ISO-8601 UTC text (fixed width, so they sort), enums as lowercase text, nested lists as JSON text.

CREATE TABLE connections (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE,
    purpose           TEXT NOT NULL CHECK (purpose IN ('access', 'infra', 'both')),
    api_url           TEXT NOT NULL,
    account_id        TEXT,
    credential_kind   TEXT NOT NULL CHECK (credential_kind IN ('user_token', 'account_token', 'global_key')),
    email             TEXT,
    created_at        TEXT NOT NULL,
    last_tested_at    TEXT,
    last_test_summary TEXT,
    ended_endpoints   TEXT NOT NULL DEFAULT '[]'
);

-- Apart from connections so that listing connections never reads a credential.
CREATE TABLE connection_secrets (
    connection_id   TEXT PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
    scheme          TEXT NOT NULL,       -- 'aes-256-gcm': nonce | ciphertext | tag, associated data = connection id
    key_fingerprint TEXT NOT NULL,       -- which master key sealed it (an HMAC of the key, not the key)
    sealed          BLOB NOT NULL
);

-- Removed connections: their snapshot rows stay as evidence but stop being current.
CREATE TABLE connection_removals (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    connection_id         TEXT NOT NULL,
    name                  TEXT NOT NULL,
    removed_at            TEXT NOT NULL,
    last_commit_id        INTEGER NOT NULL,  -- newest stage commit (any connection) when it was removed
    last_run_seq          INTEGER NOT NULL   -- newest run when it was removed
);
CREATE INDEX ix_connection_removals_connection ON connection_removals (connection_id);

CREATE TABLE sync_runs (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    id           TEXT NOT NULL UNIQUE,
    trigger      TEXT NOT NULL,
    owner        TEXT NOT NULL,            -- the process running it, to tell a crashed run from a live one
    started_at   TEXT NOT NULL,
    ended_at     TEXT,
    status       TEXT NOT NULL CHECK (status IN ('running', 'complete', 'partial', 'failed')),
    reason       TEXT,
    accounts     INTEGER NOT NULL DEFAULT 0,
    members      INTEGER NOT NULL DEFAULT 0,
    zones        INTEGER NOT NULL DEFAULT 0,
    api_calls    INTEGER NOT NULL DEFAULT 0,
    rate_limited INTEGER NOT NULL DEFAULT 0,
    stages       TEXT NOT NULL DEFAULT '[]',  -- JSON: SyncStageResult[]
    skipped      TEXT NOT NULL DEFAULT '[]'   -- JSON: ReadGap[]
);
CREATE INDEX ix_sync_runs_status ON sync_runs (status);

-- One committed stage of one connection in one run. It owns every row below; the newest commit per
-- (connection, stage) is current. Commits are never deleted: history is evidence.
-- connection_id has no foreign key on purpose: the history outlives the connection.
CREATE TABLE stage_commits (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id        TEXT NOT NULL REFERENCES sync_runs (id),
    connection_id TEXT NOT NULL,
    stage         TEXT NOT NULL CHECK (stage IN ('access', 'infra')),
    committed_at  TEXT NOT NULL
);
CREATE INDEX ix_stage_commits_current ON stage_commits (connection_id, stage, id);
CREATE INDEX ix_stage_commits_run ON stage_commits (run_id);

-- Row tables keep the order the sync produced (ordinal); a duplicate from the API never fails a commit.
CREATE TABLE snapshot_accounts (
    commit_id           INTEGER NOT NULL REFERENCES stage_commits (id),
    ordinal             INTEGER NOT NULL,
    account_id          TEXT NOT NULL,
    name                TEXT NOT NULL,
    enforce_two_factor  INTEGER,               -- NULL: the API did not report it
    connection_id       TEXT NOT NULL,
    PRIMARY KEY (commit_id, ordinal)
);

CREATE TABLE snapshot_roles (
    commit_id    INTEGER NOT NULL REFERENCES stage_commits (id),
    ordinal      INTEGER NOT NULL,
    role_id      TEXT NOT NULL,
    account_id   TEXT NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT,
    permissions  TEXT NOT NULL,                -- JSON: string[]
    PRIMARY KEY (commit_id, ordinal)
);

CREATE TABLE snapshot_members (
    commit_id           INTEGER NOT NULL REFERENCES stage_commits (id),
    ordinal             INTEGER NOT NULL,
    member_id           TEXT NOT NULL,
    account_id          TEXT NOT NULL,
    user_id             TEXT,
    email               TEXT NOT NULL,
    first_name          TEXT,
    last_name           TEXT,
    status              TEXT NOT NULL CHECK (status IN ('accepted', 'pending', 'other')),
    two_factor_enabled  INTEGER,               -- NULL: the API left it out (not "enabled")
    roles               TEXT NOT NULL,         -- JSON: MemberRole[]
    policies            TEXT NOT NULL,         -- JSON: MemberPolicy[]
    PRIMARY KEY (commit_id, ordinal)
);

CREATE TABLE snapshot_zones (
    commit_id                INTEGER NOT NULL REFERENCES stage_commits (id),
    ordinal                  INTEGER NOT NULL,
    zone_id                  TEXT NOT NULL,
    name                     TEXT NOT NULL,
    account_id               TEXT NOT NULL,
    status                   TEXT NOT NULL,
    paused                   INTEGER NOT NULL,
    plan_name                TEXT,
    has_security             INTEGER NOT NULL,  -- 0: no per-zone reads at all (the columns below are then NULL)
    ssl                      TEXT,
    min_tls_version          TEXT,
    always_use_https         TEXT,
    hsts_enabled             INTEGER,           -- NULL: HSTS not read
    hsts_max_age_seconds     INTEGER,
    hsts_include_subdomains  INTEGER,
    hsts_preload             INTEGER,
    security_level           TEXT,
    legacy_waf               TEXT,
    dnssec_status            TEXT,
    entrypoints              TEXT,              -- JSON: {phase: PhaseEntrypoint | null}; null value = no entrypoint
    PRIMARY KEY (commit_id, ordinal)
);

CREATE TABLE snapshot_gaps (
    commit_id           INTEGER NOT NULL REFERENCES stage_commits (id),
    ordinal             INTEGER NOT NULL,
    stage               TEXT NOT NULL,
    resource_type       TEXT NOT NULL,
    resource_id         TEXT,
    what                TEXT NOT NULL,
    reason              TEXT NOT NULL,
    missing_permission  TEXT,
    PRIMARY KEY (commit_id, ordinal)
);

-- Raw API responses, stored once per distinct body (most bodies repeat from sync to sync).
CREATE TABLE evidence_bodies (
    sha256  TEXT PRIMARY KEY,
    body    TEXT NOT NULL
);

CREATE TABLE evidence_payloads (
    commit_id    INTEGER NOT NULL REFERENCES stage_commits (id),
    ordinal      INTEGER NOT NULL,
    request      TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    body_sha256  TEXT NOT NULL REFERENCES evidence_bodies (sha256),
    PRIMARY KEY (commit_id, ordinal)
);

CREATE TABLE people (
    email_key      TEXT PRIMARY KEY,           -- lowercased email
    email          TEXT NOT NULL,
    name           TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('active', 'offboarded')),
    org_role       TEXT,
    offboarded_on  TEXT,                       -- yyyy-MM-dd
    aliases        TEXT NOT NULL,              -- JSON: string[]
    manager_email  TEXT,
    updated_at     TEXT NOT NULL
);

CREATE TABLE identity_mappings (
    member_email_key               TEXT PRIMARY KEY,   -- lowercased member email
    member_email                   TEXT NOT NULL,
    person_email                   TEXT,
    service_account_justification  TEXT,
    created_at                     TEXT NOT NULL,
    CHECK ((person_email IS NULL) <> (service_account_justification IS NULL))
);

CREATE TABLE critical_systems (
    name_key       TEXT PRIMARY KEY,           -- lowercased name
    name           TEXT NOT NULL,
    allowed_roles  TEXT NOT NULL,              -- JSON: AllowedOrgRole[]
    registered_at  TEXT NOT NULL
);

-- Every evaluation is kept; the newest per snapshot is the one shown.
CREATE TABLE evaluations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    snapshot_id   TEXT NOT NULL,
    evaluated_at  TEXT NOT NULL,
    results       TEXT NOT NULL                -- JSON: CheckResult[]
);
CREATE INDEX ix_evaluations_snapshot ON evaluations (snapshot_id, id);
