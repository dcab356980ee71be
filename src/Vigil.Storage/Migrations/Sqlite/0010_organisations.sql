-- Organisations (tenants). Everything a company owns belongs to one: connections, credentials (through their
-- connection), people, mappings, systems, settings, SSO declarations, runs with their stage commits (snapshot rows,
-- gaps and evidence payloads hang off a commit), and evaluations. Existing data goes to the default organisation.
-- Tables whose key was global get a key per organisation, so they are rebuilt; the rest gain a column.

PRAGMA defer_foreign_keys = ON;

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL UNIQUE,     -- lower-cased name: names are unique whatever their case
    created_at  TEXT NOT NULL
);
INSERT INTO organisations (id, name, name_key, created_at)
VALUES ('default', 'default', 'default', strftime('%Y-%m-%dT%H:%M:%S', 'now') || '.0000000Z');

-- Connections: names are unique per organisation. The secrets table is rebuilt with it so that its cascade keeps
-- pointing at the new table (dropping the old parent first would cascade-delete every credential).
CREATE TABLE connections_0010 (
    id                TEXT PRIMARY KEY,
    organisation_id   TEXT NOT NULL REFERENCES organisations (id),
    name              TEXT NOT NULL,
    purpose           TEXT NOT NULL CHECK (purpose IN ('access', 'infra', 'both')),
    api_url           TEXT NOT NULL,
    account_id        TEXT,
    credential_kind   TEXT NOT NULL CHECK (credential_kind IN ('user_token', 'account_token', 'global_key')),
    email             TEXT,
    created_at        TEXT NOT NULL,
    last_tested_at    TEXT,
    last_test_summary TEXT,
    ended_endpoints   TEXT NOT NULL DEFAULT '[]',
    UNIQUE (organisation_id, name)
);
INSERT INTO connections_0010 (id, organisation_id, name, purpose, api_url, account_id, credential_kind, email, created_at,
                              last_tested_at, last_test_summary, ended_endpoints)
SELECT id, 'default', name, purpose, api_url, account_id, credential_kind, email, created_at,
       last_tested_at, last_test_summary, ended_endpoints
FROM connections;

CREATE TABLE connection_secrets_0010 (
    connection_id   TEXT PRIMARY KEY REFERENCES connections_0010 (id) ON DELETE CASCADE,
    scheme          TEXT NOT NULL,
    key_fingerprint TEXT NOT NULL,
    sealed          BLOB NOT NULL
);
INSERT INTO connection_secrets_0010 (connection_id, scheme, key_fingerprint, sealed)
SELECT connection_id, scheme, key_fingerprint, sealed FROM connection_secrets;

DROP TABLE connection_secrets;
DROP TABLE connections;
ALTER TABLE connections_0010 RENAME TO connections;
ALTER TABLE connection_secrets_0010 RENAME TO connection_secrets;

-- The staff directory, mappings, systems, SSO declarations and settings: keyed per organisation.
CREATE TABLE people_0010 (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    email_key      TEXT NOT NULL,
    email          TEXT NOT NULL,
    name           TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('active', 'offboarded')),
    org_role       TEXT,
    offboarded_on  TEXT,
    aliases        TEXT NOT NULL,
    manager_email  TEXT,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (organisation_id, email_key)
);
INSERT INTO people_0010 (organisation_id, email_key, email, name, status, org_role, offboarded_on, aliases, manager_email, updated_at)
SELECT 'default', email_key, email, name, status, org_role, offboarded_on, aliases, manager_email, updated_at FROM people;
DROP TABLE people;
ALTER TABLE people_0010 RENAME TO people;

CREATE TABLE identity_mappings_0010 (
    organisation_id                TEXT NOT NULL REFERENCES organisations (id),
    member_email_key               TEXT NOT NULL,
    member_email                   TEXT NOT NULL,
    person_email                   TEXT,
    service_account_justification  TEXT,
    created_at                     TEXT NOT NULL,
    PRIMARY KEY (organisation_id, member_email_key),
    CHECK ((person_email IS NULL) <> (service_account_justification IS NULL))
);
INSERT INTO identity_mappings_0010 (organisation_id, member_email_key, member_email, person_email, service_account_justification, created_at)
SELECT 'default', member_email_key, member_email, person_email, service_account_justification, created_at FROM identity_mappings;
DROP TABLE identity_mappings;
ALTER TABLE identity_mappings_0010 RENAME TO identity_mappings;

CREATE TABLE critical_systems_0010 (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    name_key       TEXT NOT NULL,
    name           TEXT NOT NULL,
    allowed_roles  TEXT NOT NULL,
    registered_at  TEXT NOT NULL,
    PRIMARY KEY (organisation_id, name_key)
);
INSERT INTO critical_systems_0010 (organisation_id, name_key, name, allowed_roles, registered_at)
SELECT 'default', name_key, name, allowed_roles, registered_at FROM critical_systems;
DROP TABLE critical_systems;
ALTER TABLE critical_systems_0010 RENAME TO critical_systems;

CREATE TABLE sso_declarations_0010 (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    account_id   TEXT NOT NULL,
    domains      TEXT NOT NULL,
    evidence     TEXT NOT NULL,
    declared_at  TEXT NOT NULL,
    PRIMARY KEY (organisation_id, account_id)
);
INSERT INTO sso_declarations_0010 (organisation_id, account_id, domains, evidence, declared_at)
SELECT 'default', account_id, domains, evidence, declared_at FROM sso_declarations;
DROP TABLE sso_declarations;
ALTER TABLE sso_declarations_0010 RENAME TO sso_declarations;

CREATE TABLE settings_0010 (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (organisation_id, key)
);
INSERT INTO settings_0010 (organisation_id, key, value, updated_at) SELECT 'default', key, value, updated_at FROM settings;
DROP TABLE settings;
ALTER TABLE settings_0010 RENAME TO settings;

-- History tables keep their keys (ids are unique across organisations) and gain the owner.
ALTER TABLE connection_removals ADD COLUMN organisation_id TEXT NOT NULL DEFAULT 'default';
ALTER TABLE sync_runs ADD COLUMN organisation_id TEXT NOT NULL DEFAULT 'default';
ALTER TABLE stage_commits ADD COLUMN organisation_id TEXT NOT NULL DEFAULT 'default';
ALTER TABLE evaluations ADD COLUMN organisation_id TEXT NOT NULL DEFAULT 'default';
CREATE INDEX ix_sync_runs_organisation ON sync_runs (organisation_id, seq);
CREATE INDEX ix_stage_commits_organisation ON stage_commits (organisation_id, connection_id, stage, id);
CREATE INDEX ix_evaluations_organisation ON evaluations (organisation_id, snapshot_id, id);

-- Snapshots a review campaign or a report needs: retention never prunes them.
CREATE TABLE snapshot_holds (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    run_id          TEXT NOT NULL,
    holder          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, run_id, holder)
);

-- Retention and organisation removal delete evidence bodies no payload uses any more.
CREATE INDEX ix_evidence_payloads_body ON evidence_payloads (body_sha256);
