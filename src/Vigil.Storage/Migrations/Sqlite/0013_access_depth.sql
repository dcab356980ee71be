-- Access depth (issue 20): when Vigil first saw each membership (Cloudflare gives no invitation date, so pending
-- invitations are dated from it; NULL in rows written before), the account-owned API tokens the access stage read,
-- and whether a commit read those tokens at all (0: not read, so the checks on tokens report unknown, never pass).
ALTER TABLE snapshot_members ADD COLUMN first_seen_at TEXT;
ALTER TABLE stage_commits ADD COLUMN account_tokens_read INTEGER NOT NULL DEFAULT 0;

CREATE TABLE snapshot_account_tokens (
    commit_id      INTEGER NOT NULL REFERENCES stage_commits (id),
    ordinal        INTEGER NOT NULL,
    token_id       TEXT NOT NULL,
    account_id     TEXT NOT NULL,
    name           TEXT NOT NULL,
    status         TEXT,
    issued_on      TEXT,
    modified_on    TEXT,
    not_before     TEXT,
    expires_on     TEXT,            -- NULL: never expires
    last_used_on   TEXT,            -- NULL: never used (or not reported)
    allowed_ips    TEXT NOT NULL,   -- JSON: string[] (condition.request_ip.in)
    denied_ips     TEXT NOT NULL,   -- JSON: string[] (condition.request_ip.not_in)
    creator_email  TEXT,            -- creator_email_at_creation; NULL when Cloudflare recorded none
    policies       TEXT NOT NULL,   -- JSON: TokenPolicy[]
    PRIMARY KEY (commit_id, ordinal)
);
