-- Access reviews (issue 17): campaigns frozen on an access snapshot, one item per membership, decisions (insert-only),
-- reviewer changes and verification events. Every table belongs to an organisation from the start.

-- The system owner, who reviews what no manager does, may decide and reassign any item, and signs campaigns off.
ALTER TABLE critical_systems ADD COLUMN owner TEXT;

CREATE TABLE review_campaigns (
    id                   TEXT PRIMARY KEY,
    organisation_id      TEXT NOT NULL,
    system               TEXT NOT NULL,
    name                 TEXT NOT NULL,
    -- Only open, completed and cancelled are stored; in_review and awaiting_signoff follow from the decisions.
    status               TEXT NOT NULL CHECK (status IN ('open', 'completed', 'cancelled')),
    created_at           TEXT NOT NULL,
    due_on               TEXT,
    owner                TEXT,
    reviewers            TEXT NOT NULL,        -- JSON: string[] (the --reviewer list)
    snapshot_id          TEXT NOT NULL,        -- the sync run whose access data was frozen
    access_synced_at     TEXT,
    allow_stale          INTEGER NOT NULL,
    stale_reason         TEXT,
    previous_campaign_id TEXT,
    removed              TEXT NOT NULL,        -- JSON: RemovedMembership[] since the previous campaign
    signed_off_by        TEXT,
    signed_off_at        TEXT,
    statement            TEXT
);
CREATE INDEX ix_review_campaigns_org ON review_campaigns (organisation_id, system, created_at);

CREATE TABLE review_items (
    campaign_id      TEXT NOT NULL REFERENCES review_campaigns (id),
    organisation_id  TEXT NOT NULL,
    ordinal          INTEGER NOT NULL,
    account_id       TEXT NOT NULL,
    account_name     TEXT NOT NULL,
    member_id        TEXT NOT NULL,
    user_id          TEXT,
    member_email     TEXT NOT NULL,
    member_status    TEXT NOT NULL,
    two_factor       INTEGER,
    person_email     TEXT,
    person_name      TEXT,
    org_role         TEXT,
    service_account  TEXT,
    grants           TEXT NOT NULL,            -- JSON: ItemGrant[]
    first_seen       TEXT,
    risk_flags       TEXT NOT NULL,            -- JSON: string[]
    reviewer         TEXT NOT NULL,
    change           TEXT NOT NULL CHECK (change IN ('new', 'changed', 'unchanged')),
    changes          TEXT NOT NULL,            -- JSON: string[] ("roles", "2fa", "person")
    PRIMARY KEY (campaign_id, account_id, member_id)
);

-- Insert-only (0018 enforces it): a later decision on the same item supersedes; seq orders them.
CREATE TABLE review_decisions (
    seq              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    organisation_id  TEXT NOT NULL,
    campaign_id      TEXT NOT NULL REFERENCES review_campaigns (id),
    account_id       TEXT NOT NULL,
    member_id        TEXT NOT NULL,
    decision         TEXT NOT NULL CHECK (decision IN ('keep', 'revoke', 'change_role', 'defer')),
    roles            TEXT NOT NULL,            -- JSON: string[] (change_role)
    decided_by       TEXT NOT NULL,
    decided_at       TEXT NOT NULL,
    comment          TEXT,
    snapshot_id      TEXT NOT NULL
);
CREATE INDEX ix_review_decisions_campaign ON review_decisions (organisation_id, campaign_id);

CREATE TABLE review_reassignments (
    seq              INTEGER PRIMARY KEY,
    organisation_id  TEXT NOT NULL,
    campaign_id      TEXT NOT NULL REFERENCES review_campaigns (id),
    account_id       TEXT NOT NULL,
    member_id        TEXT NOT NULL,
    from_reviewer    TEXT NOT NULL,
    to_reviewer      TEXT NOT NULL,
    reassigned_by    TEXT NOT NULL,
    reassigned_at    TEXT NOT NULL
);

-- What later access syncs showed about a revoke or change_role decision: verified, or reappeared after that.
CREATE TABLE review_verifications (
    seq              INTEGER PRIMARY KEY,
    organisation_id  TEXT NOT NULL,
    campaign_id      TEXT NOT NULL REFERENCES review_campaigns (id),
    decision_id      TEXT NOT NULL REFERENCES review_decisions (id),
    account_id       TEXT NOT NULL,
    member_id        TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('verified', 'reappeared')),
    snapshot_id      TEXT NOT NULL,
    observed_at      TEXT NOT NULL,
    recorded_at      TEXT NOT NULL,
    detail           TEXT NOT NULL
);
CREATE INDEX ix_review_verifications_campaign ON review_verifications (organisation_id, campaign_id);
