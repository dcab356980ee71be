-- Remediation (issue 17): a separate credential that may remove and re-role account members, and every call
-- `vigil review apply --yes` made with it, beside the decision it applied. Both belong to an organisation.

-- Apart from `connections` on purpose: a read sync lists connections, so a write credential kept here is never used
-- by one. The secret is sealed like a connection's (AES-256-GCM with the master key, the row id as associated data).
CREATE TABLE remediation_credentials (
    id                TEXT PRIMARY KEY,
    organisation_id   TEXT NOT NULL,
    name              TEXT NOT NULL,
    api_url           TEXT NOT NULL,
    account_id        TEXT,
    credential_kind   TEXT NOT NULL CHECK (credential_kind IN ('user_token', 'account_token', 'global_key')),
    email             TEXT,
    created_at        TEXT NOT NULL,
    last_test_summary TEXT,
    scheme            TEXT NOT NULL,
    key_fingerprint   TEXT NOT NULL,
    sealed            BLOB NOT NULL,
    UNIQUE (organisation_id, name)
);

-- Insert-only: the API's answer to each call, kept as evidence beside the decision.
CREATE TABLE review_remediations (
    seq              INTEGER PRIMARY KEY,
    organisation_id  TEXT NOT NULL,
    campaign_id      TEXT NOT NULL REFERENCES review_campaigns (id),
    decision_id      TEXT NOT NULL REFERENCES review_decisions (id),
    account_id       TEXT NOT NULL,
    member_id        TEXT NOT NULL,
    credential_name  TEXT NOT NULL,
    method           TEXT NOT NULL CHECK (method IN ('DELETE', 'PUT')),
    path             TEXT NOT NULL,
    request_body     TEXT,
    outcome          TEXT NOT NULL CHECK (outcome IN ('applied', 'refused', 'not_found', 'rate_limited', 'failed')),
    http_status      INTEGER,
    errors           TEXT NOT NULL,            -- JSON: string[] ("code message")
    explanation      TEXT NOT NULL,
    attempted_at     TEXT NOT NULL
);
CREATE INDEX ix_review_remediations_campaign ON review_remediations (organisation_id, campaign_id);

CREATE TRIGGER review_remediations_no_update BEFORE UPDATE ON review_remediations
BEGIN SELECT RAISE(ABORT, 'review remediations are append-only'); END;
CREATE TRIGGER review_remediations_no_delete BEFORE DELETE ON review_remediations
BEGIN SELECT RAISE(ABORT, 'review remediations are append-only'); END;

-- Removing a whole organisation (vigil org remove --force) deletes its review history too: it names itself in
-- removing_organisation for its transaction, and only then do the delete triggers let its rows go. (No
-- organisation_id column: this is bookkeeping of the removal, not an organisation's data.)
CREATE TABLE removing_organisation (id TEXT PRIMARY KEY);

DROP TRIGGER review_decisions_no_delete;
DROP TRIGGER review_verifications_no_delete;
DROP TRIGGER review_reassignments_no_delete;
DROP TRIGGER review_remediations_no_delete;
CREATE TRIGGER review_decisions_no_delete BEFORE DELETE ON review_decisions
WHEN OLD.organisation_id NOT IN (SELECT id FROM removing_organisation)
BEGIN SELECT RAISE(ABORT, 'review decisions are append-only'); END;
CREATE TRIGGER review_verifications_no_delete BEFORE DELETE ON review_verifications
WHEN OLD.organisation_id NOT IN (SELECT id FROM removing_organisation)
BEGIN SELECT RAISE(ABORT, 'review verifications are append-only'); END;
CREATE TRIGGER review_reassignments_no_delete BEFORE DELETE ON review_reassignments
WHEN OLD.organisation_id NOT IN (SELECT id FROM removing_organisation)
BEGIN SELECT RAISE(ABORT, 'review reassignments are append-only'); END;
CREATE TRIGGER review_remediations_no_delete BEFORE DELETE ON review_remediations
WHEN OLD.organisation_id NOT IN (SELECT id FROM removing_organisation)
BEGIN SELECT RAISE(ABORT, 'review remediations are append-only'); END;
